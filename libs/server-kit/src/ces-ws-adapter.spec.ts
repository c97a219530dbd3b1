import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { CesWsAdapter } from './ces-ws-adapter';

describe('CesWsAdapter', () => {
  it('builds gateway servers from the project’s own ws, not the copy @nestjs/platform-ws nests', async () => {
    // The nested copy, when there is one, is the ws that @nestjs/platform-ws itself resolves.
    const nestedPath = require.resolve('ws', {
      paths: [require.resolve('@nestjs/platform-ws')],
    });
    const nested = require(nestedPath) as typeof import('ws');
    const httpServer = createServer();
    const adapter = new CesWsAdapter(httpServer, { serverOptions: { maxPayload: 1024 } });
    const server = adapter.create(0, { path: '/connect/:kind' });
    try {
      expect(server).toBeInstanceOf(WebSocketServer);
      if (nested.WebSocketServer !== WebSocketServer)
        expect(server).not.toBeInstanceOf(nested.WebSocketServer);
      expect(server.options).toMatchObject({
        noServer: true,
        maxPayload: 1024,
        perMessageDeflate: false,
      });
    } finally {
      await adapter.close(server);
      httpServer.close();
    }
  });

  it('refuses a gateway on a port of its own: gateways share the app’s HTTP server', () => {
    const adapter = new CesWsAdapter(createServer());
    expect(() => adapter.create(7199, { path: '/x' })).toThrow(/share the app/);
  });

  it('upgrades a path with a frame limit of its own, and hands its sockets and headers to the gateway', async () => {
    const httpServer = createServer();
    const adapter = new CesWsAdapter(httpServer, {
      serverOptions: { maxPayload: 100 },
      maxPayloadByPath: { '/connect/hub': 1000 },
    });
    const server = adapter.create(0, { path: '/connect/:kind' });
    server.on('headers', (headers: string[]) => headers.push('x-gateway: yes'));
    const received: number[] = [];
    server.on('connection', (socket: WebSocket) =>
      socket.on('message', (data: Buffer) => {
        received.push(data.length);
        socket.send('got it');
      }),
    );
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const base = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    const open = (path: string) => {
      const socket = new WebSocket(`${base}${path}`);
      const header = new Promise<string | undefined>((resolve) =>
        socket.once('upgrade', (response: IncomingMessage) =>
          resolve(response.headers['x-gateway'] as string | undefined),
        ),
      );
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      return { socket, header, closed, opened: new Promise((r) => socket.once('open', r)) };
    };
    try {
      const link = open('/connect/hub');
      await link.opened;
      expect(await link.header).toBe('yes');
      link.socket.send(Buffer.alloc(500));
      await new Promise((resolve) => link.socket.once('message', resolve));
      expect(received).toEqual([500]);

      const client = open('/connect/messenger');
      await client.opened;
      expect(await client.header).toBe('yes');
      client.socket.send(Buffer.alloc(500));
      expect(await client.closed).toBe(1009);
      link.socket.close();
      await link.closed;
    } finally {
      await adapter.close(server);
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});
