import fc from 'fast-check';
import { parsePeerKind, PEER_KINDS, PeerKind } from './peer-kind';
import { CloseCodes, connectPath, HUB_ID_HEADER } from './wire-constants';

/** Every name a hub accepts, by the kind it means: its own, and the system's earlier ones. */
const NAMES_OF_KIND: Readonly<Record<PeerKind, readonly string[]>> = {
  messenger: ['messenger', 'spoke'],
  repeater: ['repeater', 'ingester', 'dispatcher'],
  hub: ['hub'],
};
const KNOWN_NAMES = PEER_KINDS.flatMap((kind) =>
  NAMES_OF_KIND[kind].map((name): [string, PeerKind] => [name, kind]),
);

describe('parsePeerKind', () => {
  it.each(KNOWN_NAMES)('reads %s as %s', (name, kind) => {
    expect(parsePeerKind(name)).toBe(kind);
  });

  it.each([
    'constructor',
    '__proto__',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
    '',
    'Messenger',
    'HUB',
    ' hub',
    'hub ',
    'hub/',
    'spokes',
    'axle',
    'messenger\u0000',
  ])('names no kind: %j', (name) => {
    expect(parsePeerKind(name)).toBeUndefined();
  });

  it('knows exactly the three kinds and their aliases (property)', () => {
    const known = new Map(KNOWN_NAMES);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...known.keys())), (name) => {
        expect(parsePeerKind(name)).toBe(known.get(name));
      }),
    );
  });

  it('reads every kind it lists as itself, and only those kinds from any name', () => {
    for (const kind of PEER_KINDS) expect(parsePeerKind(kind)).toBe(kind);
    fc.assert(
      fc.property(fc.string(), (name) => {
        const kind = parsePeerKind(name);
        if (kind !== undefined) expect(PEER_KINDS).toContain(kind);
      }),
    );
  });
});

describe('connect paths', () => {
  const kindOfPath = (path: string) => parsePeerKind(path.slice('/connect/'.length));

  it('leads each kind, and each alias, back to its kind', () => {
    for (const kind of PEER_KINDS) expect(kindOfPath(connectPath(kind))).toBe(kind);
    expect(kindOfPath(connectPath('spoke'))).toBe('messenger');
    expect(kindOfPath(connectPath('dispatcher'))).toBe('repeater');
  });

  it('gives each kind its own path', () => {
    expect(new Set(PEER_KINDS.map(connectPath)).size).toBe(PEER_KINDS.length);
  });
});

describe('wire constants', () => {
  it('names the hub id header in lower case: node lowercases incoming header names, so a lookup in another case misses', () => {
    expect(HUB_ID_HEADER).toBe(HUB_ID_HEADER.toLowerCase());
    expect(HUB_ID_HEADER).toMatch(/^[a-z0-9-]+$/);
  });

  it('sends only close codes a peer may receive: distinct, none reserved, private ones 4000–4999', () => {
    const codes = Object.values(CloseCodes);
    expect(new Set(codes).size).toBe(codes.length);
    // RFC 6455 7.4: 1004 is reserved, 1005, 1006 and 1015 must never be sent in a close frame.
    for (const code of codes) expect([1004, 1005, 1006, 1015]).not.toContain(code);
    for (const code of codes) {
      const standard = code >= 1000 && code <= 1014;
      const isPrivate = code >= 4000 && code <= 4999;
      expect(standard || isPrivate).toBe(true);
    }
    expect(CloseCodes.duplicateHubLink).toBeGreaterThanOrEqual(4000);
    expect(CloseCodes.keepaliveTimeout).toBeGreaterThanOrEqual(4000);
  });
});
