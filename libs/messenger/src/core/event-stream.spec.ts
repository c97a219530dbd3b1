import { EventStream } from './event-stream';

describe('EventStream', () => {
  it('hands items to waiting readers, queues the rest, and ends every iteration', async () => {
    let ended = 0;
    const stream = new EventStream<number>(2, () => ended++);
    const iterator = stream[Symbol.asyncIterator]();
    const waiting = iterator.next();
    stream.push(1);
    expect(await waiting).toEqual({ value: 1, done: false });
    stream.push(2);
    stream.push(3);
    stream.push(4); // over the limit: 2 is dropped
    expect(stream.dropped).toBe(1);
    expect(await iterator.next()).toEqual({ value: 3, done: false });
    const pending = [iterator.next(), iterator.next()];
    stream.end();
    stream.end();
    expect(await Promise.all(pending)).toEqual([
      { value: 4, done: false },
      { value: undefined, done: true },
    ]);
    expect(ended).toBe(1);
  });

  it('tells its owner when the reader stops early', async () => {
    let ended = 0;
    const stream = new EventStream<number>(10, () => ended++);
    stream.push(1);
    for await (const item of stream) {
      expect(item).toBe(1);
      break;
    }
    expect(ended).toBe(1);
    stream.push(2);
    expect(await stream[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });
});
