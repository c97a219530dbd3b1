/** The three kinds of peer a hub serves. */
export type PeerKind = 'messenger' | 'repeater' | 'hub';

export const PEER_KINDS: readonly PeerKind[] = ['messenger', 'repeater', 'hub'];

/** The system's earlier names: messengers were spokes, repeaters ingesters and dispatchers. */
const ALIASES: Readonly<Record<string, PeerKind>> = {
  messenger: 'messenger',
  spoke: 'messenger',
  repeater: 'repeater',
  ingester: 'repeater',
  dispatcher: 'repeater',
  hub: 'hub',
};

/** The peer kind named by a connect path segment, or undefined when it names none. */
export function parsePeerKind(name: string): PeerKind | undefined {
  return Object.prototype.hasOwnProperty.call(ALIASES, name) ? ALIASES[name] : undefined;
}
