import { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { MessengerClient } from '@ces/messenger';
import { waitFor } from '../support/wait-for';

/**
 * The original Go hub, as our messenger sees it on the wire: it forwards events as
 * `ROOM\n\n{json}` and reads subscriptions as `{"rooms":[...],"create":true}`.
 */
describe('the messenger against the original hub’s wire format', () => {
  it('sends the original subscription bytes and accepts the original event frames', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const texts: string[] = [];
    const binaries: string[] = [];
    server.on('connection', (socket, request) => {
      expect(request.url).toBe('/connect/messenger');
      socket.on('message', (data: Buffer, isBinary: boolean) =>
        (isBinary ? binaries : texts).push(data.toString()),
      );
      socket.send(Buffer.from('ITB-1101\n\n{"key":"power","value":"on"}'), { binary: true });
      socket.send(Buffer.from('ITB-1101\n{"key":"input"}\n'), { binary: true });
    });
    const client = new MessengerClient({
      hubUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
      rooms: ['ITB-1101'],
    });
    const received: unknown[] = [];
    client.on('event', (_room: string, event: unknown) => received.push(event));
    try {
      await client.connect();
      client.send('ITB-1101', { key: 'volume' });
      await waitFor(() => received.length === 2 && binaries.length === 1, 'both directions');
      expect(received).toEqual([{ key: 'power', value: 'on' }, { key: 'input' }]);
      expect(texts).toEqual(['{"rooms":["ITB-1101"],"create":true}']);
      expect(binaries).toEqual(['ITB-1101\n{"key":"volume"}']);
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
