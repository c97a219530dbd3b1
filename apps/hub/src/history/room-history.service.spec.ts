import { HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { LinkRegistry } from '../interconnect/link-registry';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { MemoryHistoryStore } from '../store/memory-history-store';
import { PositionedEvent } from './positioned-event';
import { ResumingPeer, RoomHistory } from './room-history.service';

/** A peer that records what it is sent, with `budget` bytes of room. */
function peer(budget = Infinity, granted: (room: string) => boolean = () => true) {
  const sent: string[] = [];
  const resuming: ResumingPeer = {
    kind: 'messenger',
    mayGet: granted,
    sendControl: (text) => sent.push(text) > 0,
    socket: {
      fits: (bytes) => bytes <= budget,
      sendEvent: (_wire, payload) => sent.push(payload.toString()) > 0,
    },
  };
  return { resuming, sent };
}

function history(options: { maxRecovery?: number; linksOpen?: number } = {}) {
  const config = {
    linkInterest: true,
    history: { rooms: ['H-*'], size: 100, ttlMs: 60_000, maxRecovery: options.maxRecovery ?? 100 },
  } as unknown as HubConfig;
  const store = new MemoryHistoryStore(100);
  const registry = new SubscriptionRegistry<PeerConnection>();
  const links = {
    open: new Array(options.linksOpen ?? 0),
  } as unknown as LinkRegistry<PeerConnection>;
  const rooms = new RoomHistory(config, store, new HubCounters(), registry, links);
  return { rooms, store, registry };
}

const frame = (n: number) => Buffer.from(`H-1\n{"n":${n}}`);

describe('RoomHistory', () => {
  it('keeps only history rooms, each event with the next offset', () => {
    const { rooms, store } = history();
    expect(rooms.record('other', frame(0))).toBeUndefined();
    const positioned = rooms.record('H-1', frame(1)) as PositionedEvent;
    expect(positioned.offset).toBe(1);
    expect(positioned.payload.toString()).toBe(`H-1\n@${store.epoch}:1\n{"n":1}`);
    expect((rooms.record('H-1', frame(2)) as PositionedEvent).offset).toBe(2);
  });

  it('answers a resume first, then replays the missed events in order', () => {
    const { rooms, store } = history();
    for (let n = 1; n <= 4; n++) rooms.record('H-1', frame(n));
    const { resuming, sent } = peer();
    rooms.recover(resuming, { 'H-1': { epoch: store.epoch, offset: 2 } });
    const { epoch } = store;
    expect(sent).toEqual([
      `{"recovery":{"room":"H-1","recovered":true,"epoch":"${epoch}","offset":4,"events":2}}`,
      `H-1\n@${epoch}:3\n{"n":3}`,
      `H-1\n@${epoch}:4\n{"n":4}`,
    ]);
  });

  it('sends none of a recovery larger than the send budget', () => {
    const { rooms, store } = history();
    for (let n = 1; n <= 4; n++) rooms.record('H-1', frame(n));
    const { resuming, sent } = peer(100);
    rooms.recover(resuming, { 'H-1': { epoch: store.epoch, offset: 0 } });
    expect(sent.map((text) => JSON.parse(text) as unknown)).toEqual([
      {
        recovery: {
          room: 'H-1',
          recovered: false,
          reason: 'too-many',
          epoch: store.epoch,
          offset: 4,
        },
      },
    ]);
  });

  it('refuses a room the token does not grant without telling its offset', () => {
    const { rooms, store } = history();
    rooms.record('H-1', frame(1));
    const { resuming, sent } = peer(Infinity, () => false);
    rooms.recover(resuming, { 'H-1': { epoch: store.epoch, offset: 0 } });
    expect(JSON.parse(sent[0])).toEqual({
      recovery: {
        room: 'H-1',
        recovered: false,
        reason: 'forbidden',
        epoch: store.epoch,
        offset: 0,
      },
    });
    expect(sent).toHaveLength(1);
  });

  it('says gap for what came while the room was not wanted from open links', () => {
    const { rooms, store, registry } = history({ linksOpen: 1 });
    const subscriber = {} as PeerConnection;
    registry.subscribe(subscriber, ['H-1']);
    rooms.record('H-1', frame(1));
    registry.unsubscribe(subscriber, ['H-1']);
    rooms.record('H-1', frame(2));
    registry.subscribe(subscriber, ['H-1']);
    const { resuming, sent } = peer();
    rooms.recover(resuming, { 'H-1': { epoch: store.epoch, offset: 1 } });
    expect(JSON.parse(sent[0])).toMatchObject({ recovery: { recovered: false, reason: 'gap' } });
    expect(sent).toHaveLength(1);
  });
});
