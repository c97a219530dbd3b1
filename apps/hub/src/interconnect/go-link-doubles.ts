/** One open link to a hub that sent no id (an original Go hub): a name for it and its IP. */
export interface GoLinkEnd {
  name: string;
  ip: string;
}

/**
 * Links that are likely one pair of hubs linked twice: an original Go hub this hub dials
 * that also dials this hub. The Go hub sends no id, so the only sign is the address: a
 * link it dialed comes from the IP this hub dials. Several Go hubs behind one IP look the
 * same, so this is a warning, never a reason to close a link. Returns, for each link in
 * either list, the names of the links on the other side that share its IP.
 */
export function doubledGoLinks(
  incoming: readonly GoLinkEnd[],
  outgoing: readonly GoLinkEnd[],
): Map<string, string[]> {
  const doubles = new Map<string, string[]>();
  const add = (name: string, other: string) =>
    doubles.set(name, [...(doubles.get(name) ?? []), other]);
  for (const into of incoming) {
    for (const out of outgoing) {
      if (plainIp(into.ip) !== plainIp(out.ip)) continue;
      add(into.name, out.name);
      add(out.name, into.name);
    }
  }
  return doubles;
}

/** `::ffff:10.0.0.1` (an IPv4 address on a dual-stack socket) as `10.0.0.1`. */
export function plainIp(ip: string): string {
  return ip.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}
