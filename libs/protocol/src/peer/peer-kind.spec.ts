import fc from 'fast-check';
import { parsePeerKind, PEER_KINDS, PeerKind } from './peer-kind';
import { CloseCodes, connectPath, HUB_ID_HEADER } from './wire-constants';

describe('parsePeerKind', () => {
  it.each<[string, PeerKind]>([
    ['messenger', 'messenger'],
    ['repeater', 'repeater'],
    ['hub', 'hub'],
    ['spoke', 'messenger'],
    ['ingester', 'repeater'],
    ['dispatcher', 'repeater'],
  ])('reads %s as %s', (name, kind) => {
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
    const known = new Map<string, PeerKind>([
      ['messenger', 'messenger'],
      ['spoke', 'messenger'],
      ['repeater', 'repeater'],
      ['ingester', 'repeater'],
      ['dispatcher', 'repeater'],
      ['hub', 'hub'],
    ]);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...known.keys())), (name) => {
        expect(parsePeerKind(name)).toBe(known.get(name));
      }),
    );
  });

  it('lists the kinds a hub serves', () => {
    expect(PEER_KINDS).toEqual(['messenger', 'repeater', 'hub']);
    for (const kind of PEER_KINDS) expect(parsePeerKind(kind)).toBe(kind);
  });
});

describe('wire constants', () => {
  it('puts each kind at /connect/<kind>', () => {
    expect(PEER_KINDS.map(connectPath)).toEqual([
      '/connect/messenger',
      '/connect/repeater',
      '/connect/hub',
    ]);
  });

  it('names the hub id header in lower case, as node reports headers', () => {
    expect(HUB_ID_HEADER).toBe('x-ces-hub-id');
  });

  it('uses the RFC 6455 close codes and three private ones', () => {
    expect(CloseCodes).toEqual({
      normal: 1000,
      goingAway: 1001,
      unsupportedData: 1003,
      invalidPayload: 1007,
      policyViolation: 1008,
      messageTooBig: 1009,
      internalError: 1011,
      duplicateHubLink: 4409,
      keepaliveTimeout: 4408,
      slowConsumer: 4008,
    });
    // Private codes must be in the 4000–4999 range RFC 6455 leaves to applications.
    for (const code of [
      CloseCodes.duplicateHubLink,
      CloseCodes.keepaliveTimeout,
      CloseCodes.slowConsumer,
    ]) {
      expect(code).toBeGreaterThanOrEqual(4000);
      expect(code).toBeLessThan(5000);
    }
  });
});
