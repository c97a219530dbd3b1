import { MessengerClient, RoomPosition, RoomRecovery } from '@ces/messenger';
import { getJson } from '../support/http';
import { e2eFixtures } from '../support/fixtures';
import { publishPump } from '../support/publish-pump';
import { waitFor } from '../support/wait-for';

interface Received {
  room: string;
  n: number;
  position?: RoomPosition;
}

describe('MessengerClient with recover', () => {
  const {
    hub: start,
    track,
    messenger,
  } = e2eFixtures({
    HUB_HISTORY_ROOMS: 'H-*',
    HUB_HISTORY_SIZE: 100_000,
  });

  /** The hub's id of the connected peer named `name`. */
  async function peerId(httpUrl: string, name: string): Promise<string> {
    const page = (await getJson(`${httpUrl}/peers?q=${name}`)) as {
      peers: { id: string; name?: string }[];
    };
    const peer = page.peers.find((p) => p.name === name);
    if (!peer) throw new Error(`no peer named ${name}`);
    return peer.id;
  }

  it('resumes after the hub drops it: every event once, in order, each with its position, and says so', async () => {
    const hub = await start();
    const client = track(
      new MessengerClient({
        hubUrl: hub.url,
        name: 'resumer',
        rooms: ['H-1', 'plain'],
        recover: true,
        reconnect: { initialDelayMs: 300, maxDelayMs: 300 },
      }),
    );
    const received: Received[] = [];
    const recoveries: RoomRecovery[] = [];
    client.on('event', (room, event, position) =>
      received.push({ room, n: (event as { n: number }).n, position }),
    );
    client.on('recovery', (recovery) => recoveries.push(recovery));
    await client.connect();
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms['H-1']?.subscribers === 1,
      'the subscription',
    );

    const publisher = await messenger(hub);
    const pump = publishPump((n) => publisher.send('H-1', { n }), 10);
    await waitFor(() => received.length >= 100, '100 events');
    const response = await fetch(`${hub.httpUrl}/peers/${await peerId(hub.httpUrl, 'resumer')}`, {
      method: 'DELETE',
    });
    expect(response.status).toBe(204);
    await waitFor(() => recoveries.length === 1, 'the recovery', 10_000);
    const resumedAt = pump.published;
    await waitFor(() => received.some((e) => e.n >= resumedAt + 200), 'live events after it');
    await pump.stop();
    publisher.send('plain', { n: -1 });
    await waitFor(() => received.some((e) => e.room === 'plain'), 'the plain room event');

    const history = received.filter((e) => e.room === 'H-1');
    expect(history.map((e) => e.n)).toEqual([...Array(pump.published).keys()]);
    expect(history.map((e) => e.position?.offset)).toEqual(history.map((_, i) => i + 1));
    const [recovery] = recoveries;
    expect(recovery).toMatchObject({ room: 'H-1', recovered: true, hubUrl: hub.url });
    expect(recovery.events).toBeGreaterThan(0);
    expect(recovery.position.epoch).toBe(history[0].position?.epoch);
    expect(client.stats().reconnects).toBe(1);
    // A room that keeps no history: no position.
    expect(received.find((e) => e.room === 'plain')?.position).toBeUndefined();
  });

  it('without the option asks for nothing: no positions, no recovery', async () => {
    const hub = await start();
    const client = track(new MessengerClient({ hubUrl: hub.url, rooms: ['H-1'] }));
    const received: { n: number; position?: RoomPosition }[] = [];
    client.on('event', (_room, event, position) =>
      received.push({ n: (event as { n: number }).n, position }),
    );
    await client.connect();
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms['H-1']?.subscribers === 1,
      'the subscription',
    );
    const publisher = await messenger(hub);
    publisher.send('H-1', { n: 1 });
    await waitFor(() => received.length === 1, 'the event');
    expect(received).toEqual([{ n: 1, position: undefined }]);
  });
});
