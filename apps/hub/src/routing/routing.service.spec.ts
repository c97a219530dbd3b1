import { PeerKind } from '@ces/protocol';
import { RoutablePeer } from './routable-peer';
import { EventSource, RoutingService } from './routing.service';
import { SubscriptionRegistry } from './subscription-registry';

const peer = (id: string, kind: PeerKind): RoutablePeer => ({ id, kind });
const always = () => true;

function setup() {
  const registry = new SubscriptionRegistry();
  const routing = new RoutingService(registry);
  const inRoom = peer('m-room', 'messenger');
  const everything = peer('m-star', 'messenger');
  const elsewhere = peer('m-other', 'messenger');
  const sender = peer('m-sender', 'messenger');
  const repeaterA = peer('r-a', 'repeater');
  const repeaterB = peer('r-b', 'repeater');
  const hubA = peer('h-a', 'hub');
  const hubB = peer('h-b', 'hub');
  registry.subscribe(inRoom, ['R']);
  registry.subscribe(everything, ['*']);
  registry.subscribe(elsewhere, ['OTHER']);
  registry.subscribe(sender, ['R']);
  [repeaterA, repeaterB, hubA, hubB].forEach((p) => registry.addPeer(p));
  const ids = (source: EventSource, from?: RoutablePeer) =>
    routing.route(source, from, 'R', always).recipients.map((p) => p.id);
  return { registry, routing, ids, inRoom, everything, sender, repeaterA, repeaterB, hubA, hubB };
}

describe('RoutingService — the routing table', () => {
  it('hub → messengers of the room and of *, nothing else', () => {
    const { ids, hubA } = setup();
    expect(ids('hub', hubA).sort()).toEqual(['m-room', 'm-sender', 'm-star']);
  });

  it('messenger → messengers of the room and *, except the sender; every hub; exactly one repeater', () => {
    const { ids, sender } = setup();
    const recipients = ids('messenger', sender);
    expect(recipients).not.toContain('m-sender');
    expect(recipients).not.toContain('m-other');
    expect(recipients.filter((id) => id.startsWith('m-')).sort()).toEqual(['m-room', 'm-star']);
    expect(recipients.filter((id) => id.startsWith('h-')).sort()).toEqual(['h-a', 'h-b']);
    expect(recipients.filter((id) => id.startsWith('r-'))).toHaveLength(1);
  });

  it('repeater → messengers of the room and *, every hub, never a repeater', () => {
    const { ids, repeaterA } = setup();
    const recipients = ids('repeater', repeaterA);
    expect(recipients.filter((id) => id.startsWith('m-')).sort()).toEqual([
      'm-room',
      'm-sender',
      'm-star',
    ]);
    expect(recipients.filter((id) => id.startsWith('h-')).sort()).toEqual(['h-a', 'h-b']);
    expect(recipients.filter((id) => id.startsWith('r-'))).toEqual([]);
  });

  it('the REST API routes like a messenger with no sender to exclude', () => {
    const { ids } = setup();
    const recipients = ids('api');
    expect(recipients.filter((id) => id.startsWith('m-')).sort()).toEqual([
      'm-room',
      'm-sender',
      'm-star',
    ]);
    expect(recipients.filter((id) => id.startsWith('h-'))).toHaveLength(2);
    expect(recipients.filter((id) => id.startsWith('r-'))).toHaveLength(1);
  });

  it('a hub never sends an event from a hub on to another hub', () => {
    const { ids, hubA } = setup();
    expect(ids('hub', hubA).filter((id) => id.startsWith('h-'))).toEqual([]);
  });

  it('repeaters share a messenger’s events round robin', () => {
    const { routing, sender } = setup();
    const picks = Array.from(
      { length: 6 },
      () =>
        routing
          .route('messenger', sender, 'R', always)
          .recipients.find((p) => p.kind === 'repeater')!.id,
    );
    expect(picks.filter((id) => id === 'r-a')).toHaveLength(3);
    expect(picks.filter((id) => id === 'r-b')).toHaveLength(3);
  });

  it('skips a repeater that cannot take more, and reports the group busy when none can', () => {
    const { routing, sender } = setup();
    const notA = (p: RoutablePeer) => p.id !== 'r-a';
    for (let i = 0; i < 4; i++) {
      const decision = routing.route('messenger', sender, 'R', notA);
      expect(decision.recipients.filter((p) => p.kind === 'repeater').map((p) => p.id)).toEqual([
        'r-b',
      ]);
    }
    const none = routing.route('messenger', sender, 'R', (p) => p.kind !== 'repeater');
    expect(none.busyGroups.map((g) => g.name)).toEqual(['#repeaters']);
  });

  it('keeps the event for the repeaters when none is connected', () => {
    const registry = new SubscriptionRegistry();
    const routing = new RoutingService(registry);
    const decision = routing.route('messenger', peer('m', 'messenger'), 'R', always);
    expect(decision.waitingGroups.map((g) => g.name)).toEqual(['#repeaters']);
  });

  it('delivers one copy to a messenger subscribed to the room and to *', () => {
    const registry = new SubscriptionRegistry();
    const routing = new RoutingService(registry);
    const both = peer('both', 'messenger');
    registry.subscribe(both, ['R', '*', 'R']);
    expect(routing.route('hub', undefined, 'R', always).recipients).toEqual([both]);
    expect(routing.route('hub', undefined, '*', always).recipients).toEqual([both]);
  });

  it('gives each consumer group one copy, round robin, beside the plain subscribers', () => {
    const registry = new SubscriptionRegistry();
    const routing = new RoutingService(registry);
    const members = ['g1', 'g2', 'g3'].map((id) => peer(id, 'messenger'));
    members.forEach((m) => registry.subscribe(m, ['R'], 'g'));
    const plain = peer('plain', 'messenger');
    registry.subscribe(plain, ['R']);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const recipients = routing.route('api', undefined, 'R', always).recipients;
      expect(recipients.filter((p) => p.id === 'plain')).toHaveLength(1);
      const grouped = recipients.filter((p) => p.id.startsWith('g'));
      expect(grouped).toHaveLength(1);
      counts.set(grouped[0].id, (counts.get(grouped[0].id) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([10, 10, 10]);
  });
});

describe('RoutingService — groups across linked hubs', () => {
  it('counts a linked hub as a member of the groups it has members of', () => {
    const registry = new SubscriptionRegistry();
    const routing = new RoutingService(registry);
    const local = peer('local', 'messenger');
    const hub = peer('hub-b', 'hub');
    registry.addPeer(hub);
    registry.subscribe(local, ['R'], 'g');
    registry.setRemoteGroups(hub, { g: { rooms: ['R'], durable: false } });
    const picks = Array.from(
      { length: 4 },
      () => routing.route('messenger', undefined, 'R', always).groupDeliveries,
    );
    expect(picks.map((d) => d.map((x) => x.member.id))).toEqual([
      ['local'],
      ['hub-b'],
      ['local'],
      ['hub-b'],
    ]);
  });

  it('delivers a hub’s event only to the groups it names, and only to local members', () => {
    const registry = new SubscriptionRegistry();
    const routing = new RoutingService(registry);
    const local = peer('local', 'messenger');
    const otherHub = peer('hub-c', 'hub');
    const from = peer('hub-b', 'hub');
    registry.addPeer(otherHub);
    registry.addPeer(from);
    registry.subscribe(local, ['R'], 'g');
    registry.subscribe(peer('worker', 'messenger'), ['R'], 'h');
    registry.setRemoteGroups(otherHub, { g: { rooms: ['R'], durable: false } });
    for (let i = 0; i < 4; i++) {
      const decision = routing.route('hub', from, 'R', always, new Set(['g']));
      expect(decision.groupDeliveries.map((d) => d.member.id)).toEqual(['local']);
      expect(decision.recipients.map((p) => p.id)).toEqual(['local']);
    }
    const fromGoHub = routing.route('hub', from, 'R', always, 'all');
    expect(fromGoHub.groupDeliveries.map((d) => d.group.name).sort()).toEqual(['g', 'h']);
  });

  it('tells linked hubs only of groups with members here, never of the repeaters', () => {
    const registry = new SubscriptionRegistry();
    const hub = peer('hub-b', 'hub');
    registry.addPeer(peer('r', 'repeater'));
    registry.addPeer(hub);
    registry.subscribe(peer('m', 'messenger'), ['R', 'S'], 'g');
    registry.subscribe(peer('d', 'messenger'), ['Q'], 'kept', true);
    registry.setRemoteGroups(hub, { remote: { rooms: ['X'], durable: false } });
    expect(registry.localGroups()).toEqual({
      g: { rooms: ['R', 'S'], durable: false },
      kept: { rooms: ['Q'], durable: true },
    });
  });
});
