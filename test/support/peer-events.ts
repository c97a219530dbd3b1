import { WsPeer } from './ws-peer';

/** How many events `peers` have received between them. */
export const eventsAmong = (peers: WsPeer[]): number =>
  peers.reduce((sum, peer) => sum + peer.events.length, 0);

/**
 * The numbers `n` of the events `peers` received between them, smallest first, once each
 * has made a round trip (so nothing more is on its way to any of them).
 */
export async function numbersAmong(peers: WsPeer[]): Promise<number[]> {
  await Promise.all(peers.map((peer) => peer.roundTrip()));
  const numbers = peers.flatMap((peer) => peer.events.map((e) => (e.event as { n: number }).n));
  return numbers.sort((x, y) => x - y);
}
