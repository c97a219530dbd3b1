import { utf8Text } from '@ces/protocol';
import { memoryPlatform, tick } from './memory-platform.fixture';
import { MessengerCore, RoomEvent } from './messenger-core';
import { MessengerOptions } from './messenger-options';

describe('MessengerCore dispatch', () => {
  const clients: MessengerCore[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function connected<E = unknown>(options: Partial<MessengerOptions> = {}) {
    const memory = memoryPlatform();
    const client = new MessengerCore<E>({ hubUrl: 'hub-a', ...options }, memory.platform);
    clients.push(client as MessengerCore);
    const opened = client.connect();
    memory.sockets[0].open();
    await opened;
    return { client, socket: memory.sockets[0], ...memory };
  }

  it('dials the kind’s path with the name as a query parameter', async () => {
    const { socket } = await connected({ name: 'billing-worker', hubUrl: '10.0.0.5:7300' });
    expect(socket.options.url).toBe('ws://10.0.0.5:7300/connect/messenger?name=billing-worker');
    const unnamed = await connected({ kind: 'repeater' });
    expect(unnamed.socket.options.url).toBe('ws://hub-a:7100/connect/repeater');
  });

  it('calls every event listener in order, room first, once per event, past a throwing one', async () => {
    const errors: string[] = [];
    const { client, socket } = await connected<{ n: number }>();
    const calls: string[] = [];
    client.on('error', (error) => errors.push(error.message));
    client.on('event', (room, event) => calls.push(`on:${room}:${event.n}`));
    client.onEvent(() => {
      throw new Error('handler trouble');
    });
    const off = client.onEvent((room, event) => calls.push(`onEvent:${room}:${event.n}`));
    socket.receive('R', { n: 1 });
    off();
    socket.receive('R', { n: 2 });
    expect(calls).toEqual(['on:R:1', 'onEvent:R:1', 'on:R:2']);
    expect(errors).toEqual(['handler trouble', 'handler trouble']);
  });

  it('hands frame listeners the bytes as received and decodes nothing when nobody wants events', async () => {
    const { client, socket, decodes } = await connected();
    const frames: string[] = [];
    client.on('frame', (room, frame) => frames.push(`${room}|${utf8Text(frame)}`));
    socket.receive('R', '{"a":1}');
    socket.receive('S', '{"b":2}');
    expect(frames).toEqual(['R|R\n{"a":1}', 'S|S\n{"b":2}']);
    expect(decodes()).toBe(0);
    expect(client.stats().received).toBe(2);
  });

  it('reads an event around blank lines, whitespace and CRLF as decode does, and says why one cannot be read', async () => {
    const { client, socket } = await connected<{ n: number }>();
    const events: string[] = [];
    const errors: string[] = [];
    client.onEvent((room, event) => events.push(`${room}:${event.n}`));
    client.on('error', (error) => errors.push(error.message));
    socket.receiveFrame('R\r\n\n \t{"n":1}\r\n');
    socket.receiveFrame('S\n{"n":2}');
    socket.receiveFrame('R\n \r\n');
    socket.receiveFrame('R\n{"n":');
    expect(events).toEqual(['R:1', 'S:2']);
    expect(errors).toEqual([
      'bad frame from the hub: frame has a room id but no event',
      'an event for R is not valid JSON',
    ]);
  });

  it('checks every room it is asked to send to, however many valid rooms it has sent to before', async () => {
    const { client, socket } = await connected();
    for (let i = 0; i < 1500; i++) client.send(`room-${i}`, { i });
    client.send('room-0', { again: true });
    expect(() => client.send('a\nb', {})).toThrow('"a\nb" is not a valid room id');
    expect(() => client.send('a\nb', {})).toThrow('"a\nb" is not a valid room id');
    expect(() => client.send('', {})).toThrow('"" is not a valid room id');
    expect(socket.frames).toHaveLength(1501);
    expect(socket.frames[1500]).toBe('room-0\n{"again":true}');
  });

  it('feeds an async iterator only while it iterates', async () => {
    const { client, socket } = await connected<{ n: number }>();
    socket.receive('R', { n: 0 }); // nobody iterates yet: not kept
    expect(client.listenerCount('event')).toBe(0);
    const iterator = client[Symbol.asyncIterator]();
    expect(client.listenerCount('event')).toBe(1);
    socket.receive('R', { n: 1 });
    socket.receive('R', { n: 2 });
    expect((await iterator.next()).value).toEqual({ room: 'R', event: { n: 1 } });
    expect((await iterator.next()).value).toEqual({ room: 'R', event: { n: 2 } });
    await iterator.return!();
    expect(client.listenerCount('event')).toBe(0);
  });

  it('listens for events$ subscribers only while they are subscribed, and completes them on close', async () => {
    const { client, socket } = await connected<{ n: number }>();
    const seen: RoomEvent<{ n: number }>[] = [];
    let completed = false;
    const subscription = client.events$.subscribe({
      next: (item) => seen.push(item),
      complete: () => (completed = true),
    });
    expect(client.listenerCount('event')).toBe(1);
    socket.receive('R', { n: 1 });
    subscription.unsubscribe();
    expect(client.listenerCount('event')).toBe(0);
    socket.receive('R', { n: 2 });
    expect(seen).toEqual([{ room: 'R', event: { n: 1 } }]);
    client.events$.subscribe({ complete: () => (completed = true) });
    await client.close();
    expect(completed).toBe(true);
    expect(client.listenerCount('event')).toBe(0);
  });

  it('acknowledges durable-group events in order once their handlers settle', async () => {
    const { client, socket } = await connected();
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const release: (() => void)[] = [];
      client.onEvent(() => new Promise<void>((resolve) => release.push(resolve)));
      client.subscribeGroup({ group: 'billing', durable: true }, 'R');
      socket.receive('R', { n: 1 });
      socket.receive('R', { n: 2 });
      const acks = () => socket.texts.filter((text) => text.includes('ack'));
      release[1]();
      await tick();
      jest.advanceTimersByTime(1000);
      expect(acks()).toEqual([]); // the second is done, the first is not: nothing to promise
      release[0]();
      await tick();
      jest.advanceTimersByTime(1000);
      expect(acks()).toEqual(['{"ack":2}']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('bounds the outbound buffer in bytes as well as count, drops the oldest and says so', async () => {
    const memory = memoryPlatform();
    const client = new MessengerCore(
      { hubUrl: 'hub-a', bufferLimit: 100, bufferBytes: 30 },
      memory.platform,
    );
    clients.push(client);
    const drops: number[] = [];
    client.on('drop', (count) => drops.push(count));
    void client.connect();
    for (let n = 0; n < 5; n++) client.send('R', { n }); // `R\n{"n":0}` is 9 bytes
    expect(client.stats()).toMatchObject({ buffered: 3, bufferedBytes: 27, dropped: 2 });
    expect(drops).toEqual([1, 1]);
    memory.sockets[0].open();
    expect(memory.sockets[0].frames).toEqual(['R\n{"n":2}', 'R\n{"n":3}', 'R\n{"n":4}']);
  });

  it('resubscribes on every reconnect before sending what waited', async () => {
    const { client, sockets } = await connected({ rooms: ['A'], reconnect: { initialDelayMs: 1 } });
    client.subscribeGroup({ group: 'g' }, 'B');
    sockets[0].drop();
    client.send('A', { n: 1 });
    while (sockets.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    sockets[1].open();
    expect(sockets[1].sent.map((s) => (typeof s === 'string' ? s : utf8Text(s)))).toEqual([
      '{"rooms":["A"],"create":true}',
      '{"rooms":["B"],"create":true,"group":"g","durable":false}',
      'A\n{"n":1}',
    ]);
  });
});
