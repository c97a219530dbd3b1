/** One service of the registry: the events it wants queued (one instance each) and as a topic. */
export interface ServiceDefinition {
  name: string;
  /** Rooms (event names) of the service's durable queue group: each event to one instance. */
  queue: string[];
  /** Rooms every instance subscribes to. */
  topic: string[];
}

const SERVICE_NAME = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_ROOM_CHARS = 256;

/**
 * Reads a registry document, `{"services":[{"name":…,"queue":[…],"topic":[…]}]}`; throws an
 * error naming the first bad field. Names are those of groups (not `#…`, which are the hub's).
 */
export function parseServiceDefinitions(text: string): ServiceDefinition[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const services = (document as { services?: unknown } | null)?.services;
  if (!Array.isArray(services)) throw new Error('services: must be an array');
  const seen = new Set<string>();
  return services.map((service: unknown, index) => {
    const at = `services[${index}]`;
    const { name, queue = [], topic = [] } = (service ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !SERVICE_NAME.test(name))
      throw new Error(`${at}.name: letters, digits and . _ : - (64 at most)`);
    if (seen.has(name)) throw new Error(`${at}.name: ${name} is listed twice`);
    seen.add(name);
    return { name, queue: rooms(queue, `${at}.queue`), topic: rooms(topic, `${at}.topic`) };
  });
}

function rooms(value: unknown, at: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${at}: must be an array of rooms`);
  for (const room of value)
    if (typeof room !== 'string' || room.length === 0 || room.length > MAX_ROOM_CHARS)
      throw new Error(`${at}: rooms are non-empty strings of ${MAX_ROOM_CHARS} characters at most`);
  return [...new Set(value as string[])];
}
