import { PeerKind } from '@ces/protocol';
import { FakePeer } from '../testing/fake-peer';
import { SubscriptionRegistry } from './subscription-registry';

const peer = (id: string, kind: PeerKind = 'messenger') => new FakePeer(id, kind);

describe('SubscriptionRegistry', () => {
  it('subscribes and unsubscribes rooms', () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    const a = peer('a');
    registry.subscribe(a, ['R1', 'R2']);
    expect([...registry.subscribersOf('R1')]).toEqual([a]);
    registry.unsubscribe(a, ['R1']);
    expect(registry.subscribersOf('R1').size).toBe(0);
    expect([...registry.roomsOf(a)]).toEqual(['R2']);
  });

  it('removes every room of a peer when unsubscribing with no rooms', () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    const a = peer('a');
    registry.subscribe(a, ['R1', 'R2', '*']);
    registry.unsubscribe(a, []);
    expect(registry.roomsOf(a).size).toBe(0);
    expect(registry.subscribersOf('*').size).toBe(0);
    expect(registry.roomCounts().size).toBe(0);
  });

  it('keeps * as a room of its own', () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    const a = peer('a');
    registry.subscribe(a, ['*']);
    expect(registry.subscribersOf('*').has(a)).toBe(true);
    expect(registry.subscribersOf('R').size).toBe(0);
  });

  it('forgets everything of a peer that is removed, and nothing of others', () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    const a = peer('a');
    const b = peer('b');
    const repeater = peer('r', 'repeater');
    const hub = peer('h', 'hub');
    registry.subscribe(a, ['R', '*']);
    registry.subscribe(a, ['Q'], 'workers');
    registry.subscribe(b, ['R']);
    registry.addRepeater(repeater);
    registry.setRemoteGroups(hub, new Map([['workers', { rooms: ['Q'], durable: false }]]));
    [a, repeater, hub].forEach((p) => registry.removePeer(p));
    expect([...registry.subscribersOf('R')]).toEqual([b]);
    expect(registry.subscribersOf('*').size).toBe(0);
    expect(registry.group('workers')).toBeUndefined();
    expect(registry.repeaters.memberCount).toBe(0);
    expect([...registry.roomCounts().keys()]).toEqual(['R']);
  });

  it('counts subscribers per room', () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    registry.subscribe(peer('a'), ['R', 'S']);
    registry.subscribe(peer('b'), ['R']);
    expect(Object.fromEntries(registry.roomCounts())).toEqual({
      R: { subscribers: 2, groups: 0 },
      S: { subscribers: 1, groups: 0 },
    });
  });

  it('keeps a durable group’s rooms while it has no member', () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    const a = peer('a');
    registry.subscribe(a, ['R'], 'audit', true);
    registry.removePeer(a);
    const group = registry.group('audit');
    expect(group?.memberCount).toBe(0);
    expect([...registry.groupsOf('R')]).toEqual([group]);
  });
});
