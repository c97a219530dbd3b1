import fc from 'fast-check';
import {
  ControlMessageError,
  encodeAck,
  encodeSubscriptionChange,
  FieldError,
  parseControlMessage,
  SubscriptionChange,
  WILDCARD_ROOM,
} from './subscription-message';

/** The ControlMessageError `text` is refused with; fails the test when it is accepted. */
function refusalOf(text: string | Buffer): ControlMessageError {
  try {
    parseControlMessage(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ControlMessageError);
    return error as ControlMessageError;
  }
  throw new Error(`expected ${String(text)} to be refused`);
}

const fieldsOf = (details: FieldError[]) => details.map((detail) => detail.field);

describe('encodeSubscriptionChange', () => {
  it("writes the original messenger's JSON byte for byte", () => {
    expect(encodeSubscriptionChange({ rooms: ['A', 'B'], create: true })).toBe(
      '{"rooms":["A","B"],"create":true}',
    );
    expect(encodeSubscriptionChange({ rooms: [], create: false })).toBe(
      '{"rooms":[],"create":false}',
    );
  });

  it('adds group and durable after the original fields, only when given', () => {
    expect(
      encodeSubscriptionChange({ rooms: ['R'], create: true, group: 'billing', durable: true }),
    ).toBe('{"rooms":["R"],"create":true,"group":"billing","durable":true}');
    expect(encodeSubscriptionChange({ rooms: ['R'], create: false, group: 'g' })).toBe(
      '{"rooms":["R"],"create":false,"group":"g"}',
    );
  });

  it('encodes acks', () => {
    expect(encodeAck(3)).toBe('{"ack":3}');
    expect(parseControlMessage(encodeAck(0))).toEqual({ type: 'ack', ack: 0 });
  });

  it('round trips through parseControlMessage (property)', () => {
    const room = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
      .filter((r) => ![...r].some((c) => c < ' ' || c === '\u007f') && Buffer.byteLength(r) <= 256);
    const change: fc.Arbitrary<SubscriptionChange> = fc.record(
      {
        rooms: fc.uniqueArray(fc.oneof(room, fc.constant(WILDCARD_ROOM)), { maxLength: 10 }),
        create: fc.boolean(),
        group: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        durable: fc.boolean(),
      },
      { requiredKeys: ['rooms', 'create'] },
    );
    fc.assert(
      fc.property(change, (original) => {
        fc.pre(!original.durable || original.group !== undefined);
        const text = encodeSubscriptionChange(original);
        expect(parseControlMessage(text)).toEqual({ type: 'subscription', ...original });
        expect(parseControlMessage(Buffer.from(text))).toEqual({
          type: 'subscription',
          ...original,
        });
      }),
    );
  });
});

describe('parseControlMessage: subscriptions', () => {
  it('reads a subscription, with exactly the fields it has', () => {
    expect(parseControlMessage('{"rooms":["A","B"],"create":true}')).toEqual({
      type: 'subscription',
      rooms: ['A', 'B'],
      create: true,
    });
    expect(Object.keys(parseControlMessage('{"rooms":["A"],"create":true}'))).toEqual([
      'type',
      'rooms',
      'create',
    ]);
  });

  it('reads create:false with rooms, and with no rooms (every room)', () => {
    expect(parseControlMessage('{"rooms":["A"],"create":false}')).toEqual({
      type: 'subscription',
      rooms: ['A'],
      create: false,
    });
    for (const text of [
      '{"create":false}',
      '{"rooms":[],"create":false}',
      '{"rooms":null,"create":false}', // what the Go messenger sends for a nil slice
    ]) {
      expect(parseControlMessage(text)).toEqual({ type: 'subscription', rooms: [], create: false });
    }
  });

  it('accepts *, create:true with no rooms listed, duplicates (once) and a Buffer', () => {
    expect(parseControlMessage('{"rooms":["*"],"create":true}')).toMatchObject({ rooms: ['*'] });
    expect(parseControlMessage('{"rooms":[],"create":true}')).toMatchObject({ rooms: [] });
    expect(parseControlMessage('{"rooms":["A","B","A"],"create":true}')).toMatchObject({
      rooms: ['A', 'B'],
    });
    expect(parseControlMessage(Buffer.from(' {"rooms":["é"],"create":true} '))).toMatchObject({
      rooms: ['é'],
    });
  });

  it('ignores unknown fields', () => {
    expect(parseControlMessage('{"rooms":["A"],"create":true,"id":"x","type":"y"}')).toEqual({
      type: 'subscription',
      rooms: ['A'],
      create: true,
    });
  });

  it('reads groups and durable groups', () => {
    expect(
      parseControlMessage('{"rooms":["R"],"create":true,"group":"billing","durable":true}'),
    ).toEqual({
      type: 'subscription',
      rooms: ['R'],
      create: true,
      group: 'billing',
      durable: true,
    });
    expect(parseControlMessage('{"create":false,"group":"billing"}')).toEqual({
      type: 'subscription',
      rooms: [],
      create: false,
      group: 'billing',
    });
    expect(
      parseControlMessage('{"rooms":["R"],"create":true,"group":"g","durable":false}'),
    ).toMatchObject({ durable: false });
  });
});

describe('parseControlMessage: acks', () => {
  it('reads {"ack":N}', () => {
    expect(parseControlMessage('{"ack":3}')).toEqual({ type: 'ack', ack: 3 });
    expect(parseControlMessage('{"ack":0}')).toEqual({ type: 'ack', ack: 0 });
    expect(parseControlMessage(`{"ack":${Number.MAX_SAFE_INTEGER}}`)).toEqual({
      type: 'ack',
      ack: Number.MAX_SAFE_INTEGER,
    });
  });

  it.each(['-1', '1.5', '"3"', 'null', 'true', '[3]', '9007199254740992', '1e400'])(
    'refuses {"ack":%s}',
    (value) => {
      const error = refusalOf(`{"ack":${value}}`);
      expect(error.message).toBe('invalid ack message');
      expect(error.details).toEqual([
        { field: 'ack', errors: ['ack must be a non-negative integer'] },
      ]);
    },
  );

  it('takes a message with rooms or create as a subscription, whatever its ack', () => {
    expect(parseControlMessage('{"ack":3,"rooms":["A"],"create":true}')).toEqual({
      type: 'subscription',
      rooms: ['A'],
      create: true,
    });
    expect(fieldsOf(refusalOf('{"ack":3,"rooms":["A"]}').details)).toEqual(['create']);
  });
});

describe('parseControlMessage: refusals', () => {
  it.each(['', 'nope', '{', '{"rooms":["A"],"create":true', "{'create':true}"])(
    'refuses %j: not JSON',
    (text) => {
      const error = refusalOf(text);
      expect(error.message).toBe('control message is not valid JSON');
      expect(error.details).toEqual([]);
    },
  );

  it.each(['[]', '["A"]', '"x"', '1', 'null', 'true'])('refuses %s: not an object', (text) => {
    const error = refusalOf(text);
    expect(error.message).toBe('control message must be a JSON object');
    expect(error.details).toEqual([]);
  });

  const createNotBoolean = [{ field: 'create', errors: ['create must be true or false'] }];
  const roomsRequired = [{ field: 'rooms', errors: ['rooms is required when create is true'] }];
  const roomsNotArray = [{ field: 'rooms', errors: ['rooms must be an array of room ids'] }];
  const invalid: [string, string, FieldError[]][] = [
    ['{}', 'create missing', createNotBoolean],
    ['{"rooms":["A"]}', 'create missing, rooms given', createNotBoolean],
    ['{"rooms":["A"],"create":"true"}', 'create a string', createNotBoolean],
    ['{"rooms":["A"],"create":1}', 'create a number', createNotBoolean],
    ['{"create":true}', 'create:true without rooms', roomsRequired],
    ['{"rooms":null,"create":true}', 'create:true with rooms null', roomsRequired],
    ['{"rooms":"A","create":true}', 'rooms a string', roomsNotArray],
    ['{"rooms":{"0":"A"},"create":false}', 'rooms an object', roomsNotArray],
  ];

  it.each(invalid)('refuses %s (%s)', (text, _why, details) => {
    const error = refusalOf(text);
    expect(error.message).toBe('invalid subscription message');
    expect(error.name).toBe('ControlMessageError');
    expect(error.details).toEqual(details);
  });

  it('names each invalid room by its index', () => {
    const rooms = ['ok', 5, '', 'A\u0000', 'x'.repeat(257), null, 'A\nB', ['R'], 'fine'];
    const error = refusalOf(JSON.stringify({ rooms, create: true }));
    expect(fieldsOf(error.details)).toEqual([
      'rooms[1]',
      'rooms[2]',
      'rooms[3]',
      'rooms[4]',
      'rooms[5]',
      'rooms[6]',
      'rooms[7]',
    ]);
    expect(error.details[0].errors).toEqual([
      'a room id must be a non-empty string of at most 256 bytes without control characters',
    ]);
  });

  it('applies the room byte limit it is given', () => {
    const limits = { maxFrameBytes: 1024, maxRoomBytes: 3 };
    expect(parseControlMessage('{"rooms":["abc"],"create":true}', limits)).toMatchObject({
      rooms: ['abc'],
    });
    expect(() => parseControlMessage('{"rooms":["abcd"],"create":true}', limits)).toThrow(
      ControlMessageError,
    );
    expect(() => parseControlMessage('{"rooms":["éé"],"create":true}', limits)).toThrow(
      ControlMessageError,
    );
  });

  it.each([
    ['""', 'empty'],
    ['5', 'a number'],
    ['["g"]', 'an array'],
    ['null', 'null'],
    [JSON.stringify('g'.repeat(129)), 'over 128 characters'],
    ['"a\\u0007b"', 'with a control character'],
    ['"a\\u007fb"', 'with DEL'],
  ])('refuses group %s (%s)', (group) => {
    const error = refusalOf(`{"rooms":["R"],"create":true,"group":${group}}`);
    expect(error.details).toEqual([
      {
        field: 'group',
        errors: ['group must be a non-empty string of at most 128 printable characters'],
      },
    ]);
  });

  it('accepts a group of 128 characters', () => {
    const group = 'g'.repeat(128);
    expect(
      parseControlMessage(JSON.stringify({ rooms: ['R'], create: true, group })),
    ).toMatchObject({ group });
  });

  it('refuses a durable flag that is not a boolean, or durable without a group', () => {
    expect(refusalOf('{"rooms":["R"],"create":true,"group":"g","durable":"yes"}').details).toEqual([
      { field: 'durable', errors: ['durable must be true or false'] },
    ]);
    expect(refusalOf('{"rooms":["R"],"create":true,"durable":true}').details).toEqual([
      { field: 'durable', errors: ['only a group can be durable'] },
    ]);
  });

  it('reports every problem at once', () => {
    const error = refusalOf('{"rooms":[1],"create":"no","group":"","durable":1}');
    expect(fieldsOf(error.details)).toEqual(['create', 'rooms[0]', 'group', 'durable']);
  });

  it('does not take an invalid message as "unsubscribe from everything" (the Go hub did)', () => {
    // Go unmarshals these into {Rooms: nil, Create: false}: a removal of every room.
    for (const text of ['{}', '{"room":["A"],"create":true}', '{"Rooms":["A"]}']) {
      expect(() => parseControlMessage(text)).toThrow(ControlMessageError);
    }
  });
});

describe('parseControlMessage on arbitrary input', () => {
  const parsesOrRefuses = (text: string | Buffer) => {
    try {
      const message = parseControlMessage(text);
      expect(['subscription', 'ack']).toContain(message.type);
      if (message.type === 'subscription') {
        expect(typeof message.create).toBe('boolean');
        expect(Array.isArray(message.rooms)).toBe(true);
        expect(new Set(message.rooms).size).toBe(message.rooms.length);
      } else {
        expect(Number.isSafeInteger(message.ack) && message.ack >= 0).toBe(true);
      }
    } catch (error) {
      expect(error).toBeInstanceOf(ControlMessageError);
      for (const detail of (error as ControlMessageError).details) {
        expect(typeof detail.field).toBe('string');
        expect(detail.errors.length).toBeGreaterThan(0);
      }
    }
  };

  it('throws only ControlMessageError for arbitrary strings (property)', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string()), parsesOrRefuses), {
      numRuns: 300,
    });
  });

  it('throws only ControlMessageError for arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (array) =>
        parsesOrRefuses(Buffer.from(array)),
      ),
      { numRuns: 300 },
    );
  });

  it('throws only ControlMessageError for arbitrary JSON values (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) =>
        parsesOrRefuses(JSON.stringify(value)),
      ),
      { numRuns: 300 },
    );
  });

  it('throws only ControlMessageError for anything stringified (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) =>
        parsesOrRefuses(JSON.stringify(value) ?? 'undefined'),
      ),
      { numRuns: 300 },
    );
  });

  it('throws only ControlMessageError for objects shaped like subscriptions (property)', () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const shaped = fc.record(
      {
        rooms: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 })), field),
        create: fc.oneof(fc.boolean(), field),
        group: fc.oneof(fc.string(), field),
        durable: fc.oneof(fc.boolean(), field),
        ack: fc.oneof(fc.integer(), field),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(shaped, (value) => parsesOrRefuses(JSON.stringify(value))),
      { numRuns: 500 },
    );
  });
});

describe('positions and recovery in subscriptions', () => {
  it('adds positions and recover after the other fields, only when given', () => {
    expect(
      encodeSubscriptionChange({
        rooms: ['R'],
        create: true,
        positions: true,
        recover: { R: { epoch: 'E', offset: 4 } },
      }),
    ).toBe(
      '{"rooms":["R"],"create":true,"positions":true,"recover":{"R":{"epoch":"E","offset":4}}}',
    );
  });

  it('parses positions and recover', () => {
    const parsed = parseControlMessage(
      '{"rooms":["R","S"],"create":true,"positions":true,"recover":{"S":{"epoch":"E1","offset":0,"x":1}}}',
    );
    expect(parsed).toEqual({
      type: 'subscription',
      rooms: ['R', 'S'],
      create: true,
      positions: true,
      recover: { S: { epoch: 'E1', offset: 0 } },
    });
  });

  it('keeps a room named __proto__ as a room', () => {
    const parsed = parseControlMessage(
      '{"rooms":["__proto__"],"create":true,"recover":{"__proto__":{"epoch":"E","offset":1}}}',
    );
    expect(parsed.type === 'subscription' && Object.keys(parsed.recover!)).toEqual(['__proto__']);
  });

  it.each([
    ['{"rooms":["R"],"create":true,"positions":"yes"}', 'positions'],
    ['{"rooms":["R"],"create":true,"recover":[]}', 'recover'],
    ['{"rooms":["R"],"create":false,"recover":{}}', 'recover'],
    [
      '{"rooms":["R"],"create":true,"group":"g","recover":{"R":{"epoch":"E","offset":1}}}',
      'recover',
    ],
    ['{"rooms":["R"],"create":true,"recover":{"S":{"epoch":"E","offset":1}}}', 'recover.S'],
    ['{"rooms":["R"],"create":true,"recover":{"R":{"epoch":"E:1","offset":1}}}', 'recover.R'],
    ['{"rooms":["R"],"create":true,"recover":{"R":{"epoch":"E","offset":-1}}}', 'recover.R'],
    ['{"rooms":["R"],"create":true,"recover":{"R":{"epoch":"E"}}}', 'recover.R'],
  ])('refuses %s', (text, field) => {
    expect(fieldsOf(refusalOf(text).details)).toEqual([field]);
  });
});
