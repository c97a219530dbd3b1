import { PeerKind } from '@ces/protocol';
import { LinkRegistry } from '../interconnect/link-registry';
import { BackboneGate } from '../cluster/backbone';
import { FakePeer } from '../testing/fake-peer';
import { RouteDecision, RoutingService } from './routing.service';
import { SubscriptionRegistry } from './subscription-registry';

function fixture() {
  const registry = new SubscriptionRegistry<FakePeer>();
  const links = new LinkRegistry<FakePeer>({ hubId: 'hub-self', linkInterest: true }, registry);
  const routing = new RoutingService<FakePeer>(registry, links);
  const link = (id: string, remoteHubId?: string) => {
    const hub = new FakePeer(id, 'hub', { remoteHubId, direction: 'in' });
    links.admit(hub);
    return hub;
  };
  const repeater = (id: string) => {
    const peer = new FakePeer(id, 'repeater');
    registry.addRepeater(peer);
    return peer;
  };
  return { registry, links, routing, link, repeater };
}

/** The standard room of these tests: subscribers of R and of *, two repeaters, two hubs. */
function table() {
  const f = fixture();
  const peer = (id: string, kind: PeerKind = 'messenger') => new FakePeer(id, kind);
  const inRoom = peer('m-room');
  const everything = peer('m-star');
  const sender = peer('m-sender');
  f.registry.subscribe(inRoom, ['R']);
  f.registry.subscribe(everything, ['*']);
  f.registry.subscribe(peer('m-other'), ['OTHER']);
  f.registry.subscribe(sender, ['R']);
  const repeaterA = f.repeater('r-a');
  f.repeater('r-b');
  const hubA = f.link('h-a', 'hub-a');
  f.link('h-b', 'hub-b');
  return { ...f, sender, repeaterA, hubA };
}

/** Everyone who gets the event: plain recipients and the groups' local picks. */
function receivers(decision: RouteDecision<FakePeer>): string[] {
  const picked = decision.groups
    .toArray()
    .map((d) => d.member)
    .filter((m) => m && m.kind !== 'hub');
  return [...decision.recipients.toArray(), ...picked].map((p) => p!.id);
}

describe('RoutingService — the routing table', () => {
  it('hub → messengers of the room and of *, nothing else', () => {
    const { routing, hubA } = table();
    expect(receivers(routing.route('hub', hubA, 'R')).sort()).toEqual([
      'm-room',
      'm-sender',
      'm-star',
    ]);
  });

  it('messenger → messengers of the room and *, except the sender; every hub; exactly one repeater', () => {
    const { routing, sender } = table();
    const ids = receivers(routing.route('messenger', sender, 'R'));
    expect(ids.filter((id) => id.startsWith('m-')).sort()).toEqual(['m-room', 'm-star']);
    expect(ids.filter((id) => id.startsWith('h-')).sort()).toEqual(['h-a', 'h-b']);
    expect(ids.filter((id) => id.startsWith('r-'))).toHaveLength(1);
  });

  it('repeater → messengers of the room and *, every hub, never a repeater', () => {
    const { routing, repeaterA } = table();
    const ids = receivers(routing.route('repeater', repeaterA, 'R'));
    expect(ids.filter((id) => id.startsWith('m-')).sort()).toEqual([
      'm-room',
      'm-sender',
      'm-star',
    ]);
    expect(ids.filter((id) => id.startsWith('h-')).sort()).toEqual(['h-a', 'h-b']);
    expect(ids.filter((id) => id.startsWith('r-'))).toEqual([]);
  });

  it('the REST API routes like a messenger with no sender to exclude', () => {
    const { routing } = table();
    const ids = receivers(routing.route('api', undefined, 'R'));
    expect(ids.filter((id) => id.startsWith('m-')).sort()).toEqual([
      'm-room',
      'm-sender',
      'm-star',
    ]);
    expect(ids.filter((id) => id.startsWith('h-'))).toHaveLength(2);
    expect(ids.filter((id) => id.startsWith('r-'))).toHaveLength(1);
  });

  it('a hub never sends an event from a hub on to another hub', () => {
    const { routing, hubA } = table();
    expect(receivers(routing.route('hub', hubA, 'R')).filter((id) => id.startsWith('h-'))).toEqual(
      [],
    );
  });

  it('a hub’s event goes on to the links only when asked (the cluster’s, which entered it from a peer)', () => {
    const { routing } = table();
    const ids = receivers(routing.route('hub', undefined, 'R', undefined, true));
    expect(ids.filter((id) => id.startsWith('h-')).sort()).toEqual(['h-a', 'h-b']);
    expect(ids.filter((id) => id.startsWith('m-')).sort()).toEqual([
      'm-room',
      'm-sender',
      'm-star',
    ]);
    expect(ids.filter((id) => id.startsWith('r-'))).toEqual([]);
    expect(
      receivers(routing.route('hub', undefined, 'R')).filter((id) => id.startsWith('h-')),
    ).toEqual([]);
  });

  it('repeaters share a messenger’s events round robin', () => {
    const { routing, sender } = table();
    const picks = Array.from(
      { length: 6 },
      () => routing.route('messenger', sender, 'R').groups.at(0).member!.id,
    );
    expect(picks.filter((id) => id === 'r-a')).toHaveLength(3);
    expect(picks.filter((id) => id === 'r-b')).toHaveLength(3);
  });

  it('skips a repeater that cannot take more, and picks none when none can', () => {
    const { routing, registry, sender, repeaterA } = table();
    repeaterA.canTakeNow = false;
    for (let i = 0; i < 4; i++)
      expect(routing.route('messenger', sender, 'R').groups.at(0).member?.id).toBe('r-b');
    for (const member of registry.repeaters.members) member.canTakeNow = false;
    expect(routing.route('messenger', sender, 'R').groups.at(0).member).toBeUndefined();
  });

  it('never picks a repeater whose rights exclude the room', () => {
    const { routing, registry } = fixture();
    const restricted = new FakePeer('r-itb', 'repeater', { rooms: (r) => r.startsWith('ITB-') });
    registry.addRepeater(restricted);
    expect(routing.route('api', undefined, 'ITB-1').groups.at(0).member).toBe(restricted);
    expect(routing.route('api', undefined, 'OTHER').groups.at(0).member).toBeUndefined();
  });

  it('delivers one copy to a messenger subscribed to the room and to *', () => {
    const { routing, registry } = fixture();
    const both = new FakePeer('both');
    registry.subscribe(both, ['R', '*', 'R']);
    expect(routing.route('hub', undefined, 'R').recipients.toArray()).toEqual([both]);
    expect(routing.route('hub', undefined, '*').recipients.toArray()).toEqual([both]);
  });

  it('delivers one copy to a peer that is a subscriber and the member its group picked', () => {
    const { routing, registry } = fixture();
    const both = new FakePeer('both');
    registry.subscribe(both, ['R']);
    registry.subscribe(both, ['R'], 'g');
    const decision = routing.route('hub', undefined, 'R');
    expect(receivers(decision)).toEqual(['both']);
  });

  it('gives each consumer group one copy, round robin, beside the plain subscribers', () => {
    const { routing, registry } = fixture();
    const members = ['g1', 'g2', 'g3'].map((id) => new FakePeer(id));
    members.forEach((m) => registry.subscribe(m, ['R'], 'g'));
    registry.subscribe(new FakePeer('plain'), ['R']);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const ids = receivers(routing.route('repeater', undefined, 'R'));
      expect(ids.filter((id) => id === 'plain')).toHaveLength(1);
      const grouped = ids.filter((id) => id.startsWith('g'));
      expect(grouped).toHaveLength(1);
      counts.set(grouped[0], (counts.get(grouped[0]) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([10, 10, 10]);
  });
});

describe('RoutingService — groups across linked hubs', () => {
  it('counts a linked hub as a member of the groups it has members of', () => {
    const { routing, registry, link } = fixture();
    const hub = link('h', 'hub-b');
    registry.subscribe(new FakePeer('local'), ['R'], 'g');
    registry.setRemoteGroups(hub, new Map([['g', { rooms: ['R'], durable: false }]]));
    const picks = Array.from(
      { length: 4 },
      () => routing.route('repeater', undefined, 'R').groups.at(0).member!.id,
    );
    expect(picks).toEqual(['local', 'h', 'local', 'h']);
  });

  it('delivers a hub’s event only to the groups it names, and only to local members', () => {
    const { routing, registry, link } = fixture();
    const otherHub = link('h-c', 'hub-c');
    const from = link('h-b', 'hub-b');
    registry.subscribe(new FakePeer('local'), ['R'], 'g');
    registry.subscribe(new FakePeer('worker'), ['R'], 'h');
    registry.setRemoteGroups(otherHub, new Map([['g', { rooms: ['R'], durable: false }]]));
    for (let i = 0; i < 4; i++) {
      const decision = routing.route('hub', from, 'R', new Set(['g']));
      expect(decision.groups.toArray().map((d) => d.member?.id)).toEqual(['local']);
      expect(decision.recipients.toArray()).toEqual([]);
    }
    const fromGoHub = routing.route('hub', from, 'R', 'all');
    expect(
      fromGoHub.groups
        .toArray()
        .map((d) => d.group.name)
        .sort(),
    ).toEqual(['g', 'h']);
  });

  it('tells linked hubs only of groups with members here, never of the repeaters', () => {
    const { registry, link, repeater } = fixture();
    repeater('r');
    const hub = link('h', 'hub-b');
    registry.subscribe(new FakePeer('m'), ['R', 'S'], 'g');
    registry.subscribe(new FakePeer('d'), ['Q'], 'kept', true);
    registry.setRemoteGroups(hub, new Map([['remote', { rooms: ['X'], durable: false }]]));
    expect(registry.localGroups()).toEqual(
      new Map([
        ['g', { rooms: ['R', 'S'], durable: false }],
        ['kept', { rooms: ['Q'], durable: true }],
      ]),
    );
  });

  it('keeps group names that look like Object’s own keys apart', () => {
    const { registry } = fixture();
    registry.subscribe(new FakePeer('m'), ['R'], '__proto__');
    registry.subscribe(new FakePeer('n'), ['R'], 'constructor');
    expect([...registry.localGroups().keys()].sort()).toEqual(['__proto__', 'constructor']);
  });
});

describe('RoutingService — interest across links', () => {
  const told = (rooms: string[]) => ({ add: rooms, remove: [], complete: true });
  const ids = (decision: RouteDecision<FakePeer>) => decision.recipients.toArray().map((p) => p.id);

  it('sends a link only the rooms the hub behind it wants, once it has told them', () => {
    const { links, routing, link } = fixture();
    const wantsR = link('h-r', 'hub-r');
    const wantsNothing = link('h-none', 'hub-none');
    const notToldYet = link('h-new', 'hub-new');
    links.receiveInterest(wantsR, told(['R']));
    links.receiveInterest(wantsNothing, told([]));
    links.receiveInterest(notToldYet, { add: ['Q'], remove: [], complete: false });
    expect(ids(routing.route('messenger', new FakePeer('m'), 'R'))).toEqual(['h-r', 'h-new']);
    expect(ids(routing.route('api', undefined, 'S'))).toEqual(['h-new']);
    expect(links.interestView('hub-none')?.eventsSkipped).toBe(2);
    expect(links.interestView('hub-r')?.eventsSkipped).toBe(1);
    expect(links.eventsSkipped).toBe(3);
  });

  it('sends every event to a hub that never tells its interest, and to one that wants *', () => {
    const { links, routing, link } = fixture();
    link('h-go');
    const everything = link('h-star', 'hub-star');
    links.receiveInterest(everything, told(['*']));
    expect(ids(routing.route('messenger', new FakePeer('m'), 'any'))).toEqual(['h-go', 'h-star']);
    expect(links.eventsSkipped).toBe(0);
  });

  it('sends a link that wants nothing the events of a group it was picked for', () => {
    const { links, routing, link, registry } = fixture();
    const hub = link('h', 'hub-b');
    links.receiveInterest(hub, told([]));
    registry.setRemoteGroups(hub, new Map([['g', { rooms: ['R'], durable: false }]]));
    const decision = routing.route('messenger', new FakePeer('m'), 'R');
    expect(ids(decision)).toEqual(['h']);
    expect(decision.groups.at(0).member).toBe(hub);
  });

  it('keeps the total of skipped events when a link closes', () => {
    const { links, routing, link } = fixture();
    const hub = link('h', 'hub-b');
    links.receiveInterest(hub, told([]));
    routing.route('messenger', new FakePeer('m'), 'R');
    links.remove(hub);
    expect(links.eventsSkipped).toBe(1);
  });
});

describe('RoutingService — with a backbone that picks groups across hubs', () => {
  function clustered() {
    const registry = new SubscriptionRegistry<FakePeer>();
    const links = new LinkRegistry<FakePeer>({ hubId: 'hub-self', linkInterest: true }, registry);
    const gate = new BackboneGate();
    gate.backbone = {
      picksGroups: true,
      publish: () => undefined,
      written: async () => {},
      takeStreamPut: () => undefined,
    };
    const routing = new RoutingService<FakePeer>(registry, links, gate);
    const sender = new FakePeer('m-sender', 'messenger');
    const member = new FakePeer('m-member', 'messenger');
    const inRoom = new FakePeer('m-room', 'messenger');
    registry.subscribe(member, ['R'], 'billing');
    registry.subscribe(inRoom, ['R']);
    registry.addRepeater(new FakePeer('r-a', 'repeater'));
    return { routing, sender };
  }

  it('leaves groups and repeaters to the backbone for events that enter here', () => {
    const { routing, sender } = clustered();
    for (const source of ['messenger', 'repeater', 'api'] as const) {
      const decision = routing.route(source, source === 'api' ? undefined : sender, 'R');
      expect(decision.groups.toArray()).toEqual([]);
      expect(receivers(decision)).toEqual(['m-room']);
    }
  });

  it('still gives an event from a hub to the groups it names', () => {
    const { routing } = clustered();
    const decision = routing.route('hub', undefined, 'R', new Set(['billing']));
    expect(receivers(decision).sort()).toEqual(['m-member', 'm-room']);
  });
});
