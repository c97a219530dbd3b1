import { parseHubLinkMessage } from '@ces/protocol';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { FakePeer } from '../testing/fake-peer';
import { LinkRegistry } from './link-registry';

function fixture(ownId = 'hub-m') {
  const registry = new SubscriptionRegistry<FakePeer>();
  const links = new LinkRegistry<FakePeer>({ hubId: ownId }, registry);
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
    expect(hub.control.map((text) => parseHubLinkMessage(text))).toEqual([
      { type: 'groups', groups: new Map([['billing', { rooms: ['R'], durable: false }]]) },
    ]);
    registry.subscribe(member, ['S'], 'audit');
    links.groupsChanged();
    links.groupsChanged();
    await new Promise((resolve) => setImmediate(resolve));
    expect(hub.control).toHaveLength(2);
    const latest = parseHubLinkMessage(hub.control[1]);
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
