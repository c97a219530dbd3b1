import { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { MessengerClient } from '@ces/messenger';
import { CLIENT_NAME_PARAM, parseClientName } from '@ces/protocol';
import { startRepeater, TestRepeater } from '../support/repeater-harness';
import { waitFor } from '../support/wait-for';

/** The connect URLs as a hub sees them: a bare websocket server that records each upgrade. */
describe('client names on the wire', () => {
  let server: WebSocketServer;
  let port: number;
  const upgrades: string[] = [];
  const clients: MessengerClient[] = [];
  let repeater: TestRepeater | undefined;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
    server.on('connection', (_socket, request) => upgrades.push(request.url ?? ''));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await repeater?.close();
    repeater = undefined;
    upgrades.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const nameOf = (url: string) =>
    parseClientName(new URL(url, 'ws://hub').searchParams.get(CLIENT_NAME_PARAM));

  it('a named client sends its name as the `name` query parameter; an unnamed one sends the bare path', async () => {
    const named = new MessengerClient({ hubUrl: `127.0.0.1:${port}`, name: 'billing-worker' });
    const unnamed = new MessengerClient({ hubUrl: `ws://127.0.0.1:${port}` });
    clients.push(named, unnamed);
    await named.connect();
    await unnamed.connect();
    expect(upgrades.sort()).toEqual([
      '/connect/messenger',
      '/connect/messenger?name=billing-worker',
    ]);
    expect(upgrades.map(nameOf).sort()).toEqual(['billing-worker', undefined]);
  });

  it('refuses an invalid name before dialling', () => {
    expect(() => new MessengerClient({ hubUrl: `127.0.0.1:${port}`, name: 'two words' })).toThrow(
      /client name "two words"/,
    );
    expect(upgrades).toEqual([]);
  });

  it('the repeater presents its REPEATER_ID', async () => {
    repeater = await startRepeater(`ws://127.0.0.1:${port}`, { REPEATER_ID: 'rep-1' });
    await waitFor(() => upgrades.length === 1, 'the uplink');
    expect(upgrades).toEqual(['/connect/repeater?name=rep-1']);
  });
});
