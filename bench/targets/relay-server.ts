/**
 * The reference point: a minimal relay of the CES protocol on plain `ws` + `node:http`
 * (relay-routing.ts). No framework.
 */
import { createServer } from 'node:http';
import { attachRelay } from './relay-routing';

const port = Number(process.argv[2] ?? 7300);
const server = createServer((request, response) => {
  response.writeHead(request.url === '/health' ? 200 : 404).end();
});
attachRelay(server);
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
