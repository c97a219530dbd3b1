import { parseHubLinkMessage } from '@ces/protocol';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { FakePeer } from '../testing/fake-peer';
import { LinkRegistry } from './link-registry';

function fixture(ownId = 'hub-m') {
  const registry = new SubscriptionRegistry<FakePeer>();
  const links = new LinkRegistry<FakePeer>({ hubId: ownId, linkInterest: true }, registry);
  const link = (remoteHubId: string | undefined, direction: 'in' | 'out') =>
    new FakePeer(`link-${direction}-${remoteHubId}`, 'hub', { remoteHubId, direction });
  return { registry, links, link };
}

describe('LinkRegistry — one link per pair of hubs', () => {
  it('refuses a second socket that claims the id of an open link, whichever way it came', () => {
    const { links, link } = fixture();
    const real = link('hub-x', 'in');
    expect(links.admit(real)).toEqual({ admitted: true, evicted: undefined });
    expect(links.admit(link('hub-x', 'in')).admitted).toBe(false);
    expect(links.byId('hub-x')).toBe(real);
  });

  it('lets a new link in once the old one is closed', () => {
    const { links, link } = fixture();
    const old = link('hub-x', 'in');
    links.admit(old);
    old.isOpen = false;
    const next = link('hub-x', 'in');
    expect(links.admit(next).admitted).toBe(true);
    expect(links.byId('hub-x')).toBe(next);
  });

  it('when both hubs dialed, keeps the link dialed by the smaller id on both sides', () => {
    // hub-a < hub-m < hub-z
    const smaller = fixture('hub-a');
    smaller.links.admit(smaller.link('hub-z', 'in'));
    const ours = smaller.link('hub-z', 'out');
    const kept = smaller.links.admit(ours);
    expect(kept.admitted).toBe(true);
    expect(kept.evicted?.direction).toBe('in');

    const larger = fixture('hub-z');
    const theirs = larger.link('hub-a', 'in');
    larger.links.admit(theirs);
    expect(larger.links.admit(larger.link('hub-a', 'out')).admitted).toBe(false);
    expect(larger.links.byId('hub-a')).toBe(theirs);
  });

  it('never lets a link that came in evict one this hub dialed', () => {
    const { links, link } = fixture('hub-z');
    const dialed = link('hub-a', 'out');
    links.admit(dialed);
    expect(links.admit(link('hub-a', 'in')).admitted).toBe(false);
    expect(links.byId('hub-a')).toBe(dialed);
  });

  it('takes any number of original Go hubs, which send no id', () => {
    const { links, link } = fixture();
    links.admit(link(undefined, 'in'));
    links.admit(link(undefined, 'out'));
    expect(links.all.size).toBe(2);
  });
});

describe('LinkRegistry — groups and deliveries', () => {
  it('tells a new link of ours which groups we have, and every link once after a change', async () => {
    const { registry, links, link } = fixture();
    const member = new FakePeer('m');
    registry.subscribe(member, ['R'], 'billing');
    const hub = link('hub-x', 'in');
    links.admit(hub);
    const advertisements = () =>
      hub.control.map((text) => parseHubLinkMessage(text)).filter((m) => m?.type === 'groups');
    expect(advertisements()).toEqual([
      { type: 'groups', groups: new Map([['billing', { rooms: ['R'], durable: false }]]) },
    ]);
    registry.subscribe(member, ['S'], 'audit');
    links.groupsChanged();
    links.groupsChanged();
    await new Promise((resolve) => setImmediate(resolve));
    expect(advertisements()).toHaveLength(2);
    const latest = advertisements()[1];
    expect(latest?.type === 'groups' && [...latest.groups.keys()].sort()).toEqual([
      'audit',
      'billing',
    ]);
  });

  it('never advertises to an original Go hub', async () => {
    const { links, link } = fixture();
    const goHub = link(undefined, 'in');
    links.admit(goHub);
    links.groupsChanged();
    await new Promise((resolve) => setImmediate(resolve));
    expect(goHub.control).toEqual([]);
  });

  it('hands out what a link asked us to deliver once, and everything for a Go hub', () => {
    const { links, link } = fixture();
    const ours = link('hub-x', 'in');
    const goHub = link(undefined, 'in');
    links.admit(ours);
    links.admit(goHub);
    links.receiveDeliver(ours, ['billing']);
    expect([...(links.takeAsked(ours) as Set<string>)]).toEqual(['billing']);
    expect((links.takeAsked(ours) as Set<string>).size).toBe(0);
    expect(links.takeAsked(goHub)).toBe('all');
  });

  it('makes a link a member of exactly the groups it advertises', () => {
    const { registry, links, link } = fixture();
    const hub = link('hub-x', 'in');
    links.admit(hub);
    links.receiveAdvertisement(hub, new Map([['g', { rooms: ['R'], durable: false }]]));
    expect(registry.group('g')?.memberCount).toBe(1);
    links.receiveAdvertisement(hub, new Map());
    expect(registry.group('g')).toBeUndefined();
  });
});

describe('LinkRegistry — interest', () => {
  const interestOf = (peer: FakePeer) =>
    peer.control
      .map((text) => parseHubLinkMessage(text))
      .filter((message) => message?.type === 'interest')
      .map((message) => message?.type === 'interest' && message.change);
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('tells a new link of ours every room we have subscribers for, the set complete', () => {
    const { registry, links, link } = fixture();
    registry.subscribe(new FakePeer('m'), ['A', '*']);
    registry.subscribe(new FakePeer('g'), ['G'], 'group-only');
    const hub = link('hub-x', 'in');
    links.admit(hub);
    expect(interestOf(hub)).toEqual([{ add: ['A', '*'], remove: [], complete: true }]);
  });

  it('tells each change once per turn, as it stands at the end of the turn', async () => {
    const { registry, links, link } = fixture();
    const hub = link('hub-x', 'in');
    links.admit(hub);
    const [first, second] = [new FakePeer('m1'), new FakePeer('m2')];
    registry.subscribe(first, ['A', 'B']);
    registry.subscribe(second, ['A']);
    registry.subscribe(first, ['C']);
    registry.unsubscribe(first, ['C']);
    await turn();
    expect(interestOf(hub).slice(1)).toEqual([{ add: ['A', 'B'], remove: ['C'], complete: false }]);
    registry.unsubscribe(first, ['A']);
    await turn();
    expect(interestOf(hub)).toHaveLength(2);
    registry.removePeer(second);
    await turn();
    expect(interestOf(hub)[2]).toEqual({ add: [], remove: ['A'], complete: false });
  });

  it('tells nothing to an original Go hub, and sends it every event', async () => {
    const { registry, links, link } = fixture();
    const goHub = link(undefined, 'in');
    links.admit(goHub);
    registry.subscribe(new FakePeer('m'), ['A']);
    await turn();
    expect(goHub.control).toEqual([]);
    expect(links.open[0].interest.wants('anything')).toBe(true);
  });

  it('closes a link that could not take an interest change, so it starts afresh', async () => {
    const { registry, links, link } = fixture();
    const hub = link('hub-x', 'in');
    links.admit(hub);
    hub.controlCapacity = hub.control.length;
    registry.subscribe(new FakePeer('m'), ['A']);
    await turn();
    expect(hub.closedWith).toBe(4008);
  });

  it('sends everything to a link whose interest message could not be read', () => {
    const { links, link } = fixture();
    const hub = link('hub-x', 'in');
    links.admit(hub);
    links.receiveInterest(hub, { add: [], remove: [], complete: true });
    expect(links.open[0].interest.wants('A')).toBe(false);
    links.interestUnreadable(hub);
    expect(links.open[0].interest.wants('A')).toBe(true);
  });

  it('tells its watchers what each link wants: on opening, on each change, on closing', () => {
    const { links, link } = fixture();
    const seen: { peer: string; everything?: boolean; rooms?: string[]; touched?: string[] }[] = [];
    links.watchLinkInterest({
      changed: (peer, interest, touched) =>
        seen.push({
          peer: peer.id,
          everything: interest?.everything,
          rooms: interest && [...interest.rooms],
          touched: touched && [...touched],
        }),
    });
    const hub = link('hub-x', 'in');
    const goHub = link(undefined, 'in');
    links.admit(hub);
    links.admit(goHub);
    links.receiveInterest(hub, { add: ['A', 'B'], remove: [], complete: true });
    links.receiveInterest(hub, { add: ['C'], remove: ['A'], complete: false });
    links.interestUnreadable(hub);
    links.remove(hub);
    links.remove(goHub);
    const opened = { everything: true, rooms: [], touched: undefined };
    expect(seen).toEqual([
      { peer: hub.id, ...opened },
      { peer: goHub.id, ...opened },
      { peer: hub.id, everything: false, rooms: ['A', 'B'], touched: ['A', 'B'] },
      { peer: hub.id, everything: false, rooms: ['B', 'C'], touched: ['C', 'A'] },
      { peer: hub.id, everything: true, rooms: [], touched: undefined },
      { peer: hub.id, everything: undefined, rooms: undefined, touched: undefined },
      { peer: goHub.id, everything: undefined, rooms: undefined, touched: undefined },
    ]);
  });

  it('with interest off, tells nothing and heeds nothing', async () => {
    const registry = new SubscriptionRegistry<FakePeer>();
    const links = new LinkRegistry<FakePeer>({ hubId: 'hub-m', linkInterest: false }, registry);
    const hub = new FakePeer('h', 'hub', { remoteHubId: 'hub-x', direction: 'in' });
    links.admit(hub);
    registry.subscribe(new FakePeer('m'), ['A']);
    links.receiveInterest(hub, { add: [], remove: [], complete: true });
    await turn();
    expect(interestOf(hub)).toEqual([]);
    expect(links.open[0].interest.wants('B')).toBe(true);
  });
});
