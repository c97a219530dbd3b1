import { PeerList } from './peer-list';

describe('PeerList', () => {
  it('is refilled after a clear, in order, without the peers of before', () => {
    const list = new PeerList<string>();
    for (const peer of ['a', 'b', 'c']) list.push(peer);
    expect(list.size).toBe(3);
    list.clear();
    list.push('d');
    expect(list.size).toBe(1);
    expect(list.at(0)).toBe('d');
    expect(list.toArray()).toEqual(['d']);
    expect([...list]).toEqual(['d']);
  });

  it('does not hold a peer once cleared', () => {
    const list = new PeerList<object>();
    list.push({});
    list.push({});
    list.clear();
    // The slots beyond the size are emptied: nothing of before is reachable through them.
    const slots = (list as unknown as { items: unknown[] }).items;
    expect(slots.filter((slot) => slot !== undefined)).toEqual([]);
  });
});
