import { createServer } from 'node:net';

/**
 * A port the system just handed out and freed: a target process is told its port, and a
 * guessed one could collide with sockets of anything else running on the machine.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
