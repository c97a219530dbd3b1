import { PublisherBook } from './publisher-book';

describe('PublisherBook', () => {
  const book = (maxPublishers = 10) => new PublisherBook({ windowMs: 1000, maxPublishers });

  it('gives a fresh record, taken 0, to a publisher it does not know', () => {
    const { record, forgotten } = book().open('p', 5);
    expect(record).toEqual({ publisher: 'p', taken: 0, heardAt: 5 });
    expect(forgotten).toEqual([]);
  });

  it('remembers what was taken within the window, and forgets it after', () => {
    const b = book();
    b.open('p', 0).record.taken = 7;
    expect(b.takenOf('p', 999)).toBe(7);
    expect(b.open('p', 999).record.taken).toBe(7);
    expect(b.takenOf('p', 1999)).toBe(0);
    expect(b.open('p', 1999).record.taken).toBe(0);
  });

  it('expires the publishers not heard of within the window, oldest first, and reports them', () => {
    const b = book();
    b.open('a', 0);
    b.open('b', 500);
    b.open('c', 600);
    b.heard(b.open('a', 700).record, 700);
    b.open('a', 700).record.taken = 2;
    expect(b.expire(1550)).toEqual(['b']);
    expect(b.expire(1650)).toEqual(['c']);
    expect(b.size).toBe(1);
    expect(b.takenOf('a', 1650)).toBe(2);
  });

  it('forgets the least recently heard publisher beyond its bound', () => {
    const b = book(2);
    const a = b.open('a', 1).record;
    b.open('b', 2);
    b.heard(a, 3);
    expect(b.open('c', 4).forgotten).toEqual(['b']);
    expect(b.size).toBe(2);
    expect(b.takenOf('b', 4)).toBe(0);
  });

  it('remembers again a record that was let go while its connection kept it', () => {
    const b = book(1);
    const a = b.open('a', 1).record;
    a.taken = 3;
    expect(b.open('b', 2).forgotten).toEqual(['a']);
    expect(b.heard(a, 3)).toEqual(['b']);
    expect(b.takenOf('a', 3)).toBe(3);
  });

  it('restores what the store kept, dropping the expired and what is beyond the bound', () => {
    const b = book(2);
    const forgotten = b.restore(
      [
        { publisher: 'new', taken: 9, heardAt: 1900 },
        { publisher: 'old', taken: 1, heardAt: 100 },
        { publisher: 'mid', taken: 4, heardAt: 1500 },
        { publisher: 'mid2', taken: 5, heardAt: 1200 },
      ],
      2000,
    );
    expect(forgotten).toEqual(['old', 'mid2']);
    expect(b.takenOf('new', 2000)).toBe(9);
    expect(b.takenOf('mid', 2000)).toBe(4);
  });
});
