import { decodeFrame, FrameError, FrameLimits, isValidRoom } from '../frame';
import { FieldError, WILDCARD_ROOM } from '../subscription';
import { enrichEvent, EventProfile } from './event-profile';

/** How events are taken in: their profile, whether they are stamped, the size limits. */
export interface IntakeOptions {
  profile: EventProfile;
  enrich: boolean;
  limits: FrameLimits;
}

/** An event accepted from outside: its routing tag and its JSON bytes (as sent, plus any stamp). */
export interface AcceptedEvent {
  room: string;
  event: Buffer;
  /** The event's `id`, when it has one (always, when enriched). */
  id?: string;
}

export type IntakeResult =
  ({ ok: true } & AcceptedEvent) | { ok: false; error: string; details: FieldError[] };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * The one intake of events from outside the mesh — the repeater's outside sockets, its
 * `POST /send` and `POST /event`, and the hub's `POST /event` — so all of them refuse the same
 * events with the same reasons. It only checks the wire shape; rights are the caller's business.
 *
 * Reads an event an outside system sent: a bare v2 event JSON or an already framed
 * `ROOM\n{json}`. Validates it and finds its routing tag — the frame's room, else
 * `affected-room.roomID`, else the room of the connection it came on.
 */
export function takeInEvent(
  data: Buffer,
  options: IntakeOptions,
  connectionRoom?: string,
): IntakeResult {
  const { limits } = options;
  if (data.length > limits.maxFrameBytes) {
    return refusal(`event of ${data.length} bytes is over the limit of ${limits.maxFrameBytes}`);
  }
  let frameRoom: string | undefined;
  let body = data;
  const first = firstNonSpace(data);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    try {
      ({ room: frameRoom, event: body } = decodeFrame(data, limits));
    } catch (error) {
      return refusal('not a v2 event or a ROOM\\n{event} frame', [
        { field: 'frame', errors: [(error as FrameError).message] },
      ]);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refusal('event is not valid JSON');
  }
  return checkEvent(parsed, body, options, frameRoom, connectionRoom);
}

/**
 * Validates an already parsed event (an HTTP body) and finds its room. `bytes` are what is
 * forwarded: the body re-serialised, so what the hub forwards is always compact JSON.
 */
export function checkEvent(
  parsed: unknown,
  bytes: Buffer,
  options: IntakeOptions,
  frameRoom?: string,
  connectionRoom?: string,
): IntakeResult {
  const { profile, limits } = options;
  const result = profile.validate(parsed);
  if (!result.ok) return refusal(`invalid ${profile.name} event`, result.errors);
  const event = result.event;
  const fallbackRoom =
    connectionRoom && connectionRoom !== WILDCARD_ROOM ? connectionRoom : undefined;
  const room = frameRoom ?? profile.roomOf(event) ?? fallbackRoom;
  if (room === undefined) {
    const hint = `${profile.roomField} is required to route the event`;
    return refusal('the event has no room', [{ field: profile.roomField, errors: [hint] }]);
  }
  if (!isValidRoom(room, limits)) {
    const rule = 'a room id must be non-empty, without control characters';
    return refusal('the event’s room is not a usable room id', [
      { field: profile.roomField, errors: [rule] },
    ]);
  }
  if (!options.enrich) return { ok: true, room, event: bytes, id: idOf(event) };
  const enriched = enrichEvent(bytes, event, profile);
  return {
    ok: true,
    room,
    event: enriched,
    id: idOf(event) ?? idOf(JSON.parse(enriched.toString('utf8'))),
  };
}

function idOf(event: Record<string, unknown>): string | undefined {
  return typeof event.id === 'string' ? event.id : undefined;
}

function refusal(error: string, details: FieldError[] = []): IntakeResult {
  return { ok: false, error, details };
}

function firstNonSpace(data: Buffer): number | undefined {
  for (const byte of data)
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}
