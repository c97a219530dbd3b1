import { JetStreamAckBook } from './jetstream-ack-book';

describe('JetStreamAckBook', () => {
  it('acknowledges by count, in order, each message once', () => {
    const book = new JetStreamAckBook<string, string>();
    book.delivered('m1', 1, 'a');
    book.delivered('m1', 2, 'b');
    book.delivered('m1', 4, 'c'); // a plain room event came in between
    expect(book.acknowledge('m1', 0)).toEqual([]);
    expect(book.acknowledge('m1', 2)).toEqual(['a', 'b']);
    expect(book.acknowledge('m1', 3)).toEqual([]);
    expect(book.acknowledge('m1', 2)).toEqual([]);
    expect(book.acknowledge('m1', 10)).toEqual(['c']);
    expect(book.pending).toBe(0);
  });

  it('keeps members apart', () => {
    const book = new JetStreamAckBook<string, string>();
    book.delivered('m1', 1, 'a');
    book.delivered('m2', 1, 'b');
    expect(book.acknowledge('m2', 1)).toEqual(['b']);
    expect(book.pendingOf('m1')).toBe(1);
    expect(book.pendingOf('m2')).toBe(0);
  });

  it('gives back what a member that left had not acknowledged, oldest first', () => {
    const book = new JetStreamAckBook<string, string>();
    book.delivered('m1', 1, 'a');
    book.delivered('m1', 2, 'b');
    book.delivered('m1', 3, 'c');
    expect(book.acknowledge('m1', 1)).toEqual(['a']);
    expect(book.left('m1')).toEqual(['b', 'c']);
    expect(book.left('m1')).toEqual([]);
    expect(book.acknowledge('m1', 3)).toEqual([]);
  });
});
