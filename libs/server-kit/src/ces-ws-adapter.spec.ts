import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
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
});
