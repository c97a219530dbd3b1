import { LinkInterest } from './link-interest';

const change = (add: string[], remove: string[] = [], complete = false) => ({
  add,
  remove,
  complete,
});

describe('LinkInterest', () => {
  it('wants every room until the other hub has told its whole set', () => {
    const interest = new LinkInterest();
    expect(interest.wants('A')).toBe(true);
    interest.apply(change(['A']));
    expect(interest.wants('B')).toBe(true);
    interest.apply(change(['B'], [], true));
    expect([interest.wants('A'), interest.wants('B'), interest.wants('C')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(interest.view()).toEqual({ known: true, everything: false, rooms: 2, eventsSkipped: 0 });
  });

  it('follows additions and removals after the set is complete', () => {
    const interest = new LinkInterest();
    interest.apply(change(['A'], [], true));
    interest.apply(change(['C'], ['A']));
    expect([interest.wants('A'), interest.wants('C')]).toEqual([false, true]);
  });

  it('wants everything while `*` is in the set', () => {
    const interest = new LinkInterest();
    interest.apply(change(['*'], [], true));
    expect(interest.wants('anything')).toBe(true);
    expect(interest.view().everything).toBe(true);
    interest.apply(change([], ['*']));
    expect(interest.wants('anything')).toBe(false);
  });

  it('sends everything for the rest of the link once it keeps more rooms than its bound', () => {
    const interest = new LinkInterest(2);
    interest.apply(change(['A', 'B', 'C'], [], true));
    expect(interest.wants('Z')).toBe(true);
    interest.apply(change([], ['A', 'B', 'C']));
    expect(interest.wants('Z')).toBe(true);
    expect(interest.view()).toMatchObject({ known: false, everything: true, rooms: 0 });
  });

  it('sends everything once it has given up, whatever comes next', () => {
    const interest = new LinkInterest();
    interest.apply(change(['A'], [], true));
    interest.giveUp();
    interest.apply(change(['B'], [], true));
    expect(interest.wants('C')).toBe(true);
  });
});
