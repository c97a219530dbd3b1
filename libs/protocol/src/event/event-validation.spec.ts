import fc from 'fast-check';
import { FieldError } from '../subscription';
import { roomOfV2Event, validateV2Event } from './event-validation';

/** A v2 event with every field of the schema, as the original system sends them. */
function fullEvent(): Record<string, unknown> {
  return {
    'generating-system': 'ITB-1101-CP1',
    timestamp: '2026-11-23T04:00:00.123456789-07:00',
    'event-tags': ['core-state', 'heartbeat'],
    'target-device': { buildingID: 'ITB', roomID: 'ITB-1101', deviceID: 'ITB-1101-D1' },
    'affected-room': { buildingID: 'ITB', roomID: 'ITB-1101' },
    key: 'power',
    value: 'on',
    user: 'someone@example.com',
    data: { anything: [1, 'two', null, { three: true }] },
  };
}

function errorsOf(value: unknown): FieldError[] {
  const result = validateV2Event(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be invalid`);
  return result.errors;
}

const fieldsOf = (value: unknown) => errorsOf(value).map((error) => error.field);

describe('validateV2Event', () => {
  it('accepts a full event and returns the very object it was given', () => {
    const event = fullEvent();
    const result = validateV2Event(event);
    expect(result).toEqual({ ok: true, event: fullEvent() });
    expect(result.ok && result.event).toBe(event);
  });

  it('keeps unknown fields and their order (the event is forwarded, never rewritten)', () => {
    const event = { zeta: 1, ...fullEvent(), 'processed-timestamp': 'x', extra: { deep: [1] } };
    const result = validateV2Event(event);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toBe(event);
    expect(Object.keys(result.event)).toEqual(Object.keys(event));
    expect(result.event.extra).toEqual({ deep: [1] });
    expect(Object.getPrototypeOf(result.event)).toBe(Object.prototype);
  });

  it('accepts an empty object and nulls for optional fields', () => {
    expect(validateV2Event({})).toEqual({ ok: true, event: {} });
    expect(validateV2Event({ key: null, 'affected-room': { roomID: null } }).ok).toBe(true);
  });

  it.each(['2026-11-23T04:00:00Z', '2026-11-23T04:00:00.5+01:00', '2026-11-23', '2026-W48-1'])(
    'accepts the ISO-8601 timestamp %s',
    (timestamp) => {
      expect(validateV2Event({ timestamp }).ok).toBe(true);
    },
  );

  it.each<[string, string, Record<string, unknown>, string]>([
    ['affected-room.roomID', 'a number', { 'affected-room': { roomID: 5 } }, 'must be a string'],
    ['affected-room.roomID', 'empty', { 'affected-room': { roomID: '' } }, 'should not be empty'],
    ['affected-room.buildingID', 'an array', { 'affected-room': { buildingID: [] } }, 'string'],
    ['target-device.deviceID', 'a number', { 'target-device': { deviceID: 7 } }, 'string'],
    ['target-device.roomID', 'a boolean', { 'target-device': { roomID: true } }, 'string'],
    ['affected-room', 'a string', { 'affected-room': 'ITB-1101' }, 'must be an object'],
    ['target-device', 'a number', { 'target-device': 42 }, 'must be an object'],
    ['event-tags', 'not an array', { 'event-tags': 'heartbeat' }, 'must be an array'],
    [
      'event-tags',
      'an array holding a number',
      { 'event-tags': ['a', 2] },
      'each value in event-tags',
    ],
    ['timestamp', 'not ISO-8601', { timestamp: 'yesterday' }, 'ISO-8601'],
    ['timestamp', 'a number', { timestamp: 1700000000 }, 'ISO-8601'],
    ['key', 'a number', { key: 5 }, 'key must be a string'],
    ['value', 'an object', { value: { on: true } }, 'value must be a string'],
    ['user', 'a number', { user: 1 }, 'user must be a string'],
    ['generating-system', 'false', { 'generating-system': false }, 'must be a string'],
  ])('reports %s when it is %s', (field, _what, fields, message) => {
    const errors = errorsOf({ ...fullEvent(), ...fields });
    expect(errors.map((error) => error.field)).toEqual([field]);
    expect(errors[0].errors.join(' ')).toContain(message);
  });

  it('reports every invalid field at once, nested paths included', () => {
    expect(
      fieldsOf({
        key: 1,
        'event-tags': [1],
        'affected-room': { roomID: 2, buildingID: 3 },
        'target-device': { deviceID: 4 },
      }).sort(),
    ).toEqual([
      'affected-room.buildingID',
      'affected-room.roomID',
      'event-tags',
      'key',
      'target-device.deviceID',
    ]);
  });

  it.each([null, [], [{ key: 'power' }], 'event', 5, true])(
    'refuses %j: an event must be a JSON object',
    (value) => {
      expect(validateV2Event(value)).toEqual({
        ok: false,
        errors: [{ field: '', errors: ['an event must be a JSON object'] }],
      });
    },
  );

  it('is not fooled by keys named after Object.prototype', () => {
    expect(fieldsOf(JSON.parse('{"__proto__":{},"key":5}'))).toEqual(['key']);
    expect(fieldsOf(JSON.parse('{"constructor":{},"key":5}'))).toEqual(['key']);
    expect(fieldsOf(JSON.parse('{"affected-room":{"__proto__":{},"roomID":5}}'))).toEqual([
      'affected-room.roomID',
    ]);
  });

  it('accepts every event built from valid fields (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const place = fc.record(
      { buildingID: text, roomID: fc.string({ minLength: 1 }), deviceID: text },
      { requiredKeys: [] },
    );
    const event = fc.record(
      {
        'generating-system': text,
        timestamp: fc
          .date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
          .map((date) => date.toISOString()),
        'event-tags': fc.array(text, { maxLength: 5 }),
        'target-device': place,
        'affected-room': place,
        key: text,
        value: text,
        user: text,
        data: fc.jsonValue({ maxDepth: 2 }),
        extra: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(event, (value) => {
        const result = validateV2Event(value);
        expect(result).toEqual({ ok: true, event: value });
        expect(result.ok && result.event).toBe(value);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on arbitrary JSON values, and explains each refusal (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const result = validateV2Event(value);
        if (result.ok) {
          expect(result.event).toBe(value);
          return;
        }
        expect(result.errors.length).toBeGreaterThan(0);
        for (const error of result.errors) {
          expect(typeof error.field).toBe('string');
          expect(error.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary values in the fields it validates (property)', () => {
    const anyValue = fc.jsonValue({ maxDepth: 3 });
    const shaped = fc.record(
      {
        timestamp: anyValue,
        'event-tags': anyValue,
        'target-device': fc.oneof(fc.dictionary(fc.string(), anyValue), anyValue),
        'affected-room': fc.oneof(
          fc.record({ roomID: anyValue, buildingID: anyValue }, { requiredKeys: [] }),
          anyValue,
        ),
        key: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(shaped, (value) => {
        const result = validateV2Event(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('BUG: does not throw on a deeply nested event (RangeError from class-transformer)', () => {
    // About 20 KB of JSON, far below the 1 MiB frame limit. plainToInstance recurses into
    // `data` and overflows the stack; in the repeater, whose websocket intake validates
    // events, the RangeError escapes the socket's message listener.
    const depth = 10_000;
    const event = JSON.parse(`{"data":${'['.repeat(depth)}${']'.repeat(depth)}}`) as unknown;
    expect(() => validateV2Event(event)).not.toThrow();
  });
});

describe('roomOfV2Event', () => {
  it("is the event's affected-room.roomID", () => {
    expect(roomOfV2Event(fullEvent())).toBe('ITB-1101');
    expect(roomOfV2Event({ 'affected-room': { roomID: '*' } })).toBe('*');
  });

  it('ignores target-device and any other room field', () => {
    expect(roomOfV2Event({ 'target-device': { roomID: 'A' }, roomID: 'B', room: 'C' })).toBe(
      undefined,
    );
  });

  it.each([
    undefined,
    null,
    'ITB-1101',
    5,
    [],
    {},
    { 'affected-room': null },
    { 'affected-room': 'ITB-1101' },
    { 'affected-room': {} },
    { 'affected-room': { roomID: '' } },
    { 'affected-room': { roomID: 5 } },
    { 'affected-room': { roomID: null } },
    { 'affected-room': { roomID: ['ITB-1101'] } },
  ])('is undefined for %j', (value) => {
    expect(roomOfV2Event(value)).toBeUndefined();
  });

  it('never throws, and finds a room exactly when roomID is a non-empty string (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (room) => {
        const event = { 'affected-room': { roomID: room } };
        const expected = typeof room === 'string' && room.length > 0 ? room : undefined;
        expect(roomOfV2Event(event)).toBe(expected);
        expect(() => roomOfV2Event(room)).not.toThrow();
      }),
    );
  });
});
