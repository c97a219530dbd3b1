import fc from 'fast-check';
import { roomToToken, tokenToRoom } from './room-subjects';

/** What NATS reads as a separator, a wildcard or the end of a subject (and the client refuses). */
const UNSAFE_IN_TOKEN = /[.*>\s]/;

describe('rooms as NATS subject tokens', () => {
  it.each([
    ['ITB-1101', 'ITB-1101'],
    ['a.b', 'a%002eb'],
    ['*', '%002a'],
    ['>', '%003e'],
    ['a b\tc\nd\re', 'a%0020b%0009c%000ad%000de'],
    ['100%', '100%0025'],
    ['%0025', '%00250025'],
    ['caf\u00e9 \u2028', 'caf\u00e9%0020%2028'],
    ['', '%'],
  ])('maps %j to %j and back', (room, token) => {
    expect(roomToToken(room)).toBe(token);
    expect(tokenToRoom(token)).toBe(room);
  });

  it('maps every room to one token NATS reads as one token, and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (room) => {
        const token = roomToToken(room);
        expect(token.length).toBeGreaterThan(0);
        expect(UNSAFE_IN_TOKEN.test(token)).toBe(false);
        expect(tokenToRoom(token)).toBe(room);
      }),
      { numRuns: 2000 },
    );
  });

  it('maps rooms made of the characters to escape to distinct tokens', () => {
    const tricky = fc.string({
      unit: fc.constantFrom('.', '*', '>', '%', ' ', '\t', '0', '2', 'e', 'a'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(tricky, tricky, (one, other) => {
        fc.pre(one !== other);
        expect(roomToToken(one)).not.toBe(roomToToken(other));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses tokens it never makes', () => {
    for (const token of ['a.b', 'a*', '%2e', '%00zz', '%0041', 'a b', '%'.repeat(2)])
      expect(tokenToRoom(token)).toBeUndefined();
  });
});
