import { ConsumerGroup } from './consumer-group';
import { GroupPicks } from './group-picks';
import { RoutablePeer } from './routable-peer';

const peer = (id: string) => ({ id }) as unknown as RoutablePeer;
const group = (name: string) => ({ name }) as unknown as ConsumerGroup<RoutablePeer>;

describe('GroupPicks', () => {
  it('is refilled after a clear, in order, with only the picks of the new event', () => {
    const picks = new GroupPicks<RoutablePeer>();
    const a = peer('a');
    picks.add(group('g'), 'R', a);
    picks.add(group('h'), '*', undefined);
    expect(picks.picked(a)).toBe(true);
    picks.clear();
    const b = peer('b');
    picks.add(group('k'), 'S', b);
    expect(picks.size).toBe(1);
    expect(picks.at(0)).toMatchObject({ heldRoom: 'S', member: b });
    expect(picks.picked(a)).toBe(false);
    expect(picks.toArray().map((d) => d.group.name)).toEqual(['k']);
  });

  it('hands out copies that the next event does not change, and holds no member once cleared', () => {
    const picks = new GroupPicks<RoutablePeer>();
    picks.add(group('g'), 'R', peer('a'));
    const kept = picks.toArray();
    picks.clear();
    picks.add(group('h'), 'S', peer('b'));
    expect(kept[0]).toMatchObject({ heldRoom: 'R', member: { id: 'a' } });
    picks.clear();
    const slots = (picks as unknown as { slots: { member: unknown }[] }).slots;
    expect(slots.every((slot) => slot.member === undefined)).toBe(true);
  });
});
