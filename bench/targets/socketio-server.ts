/**
 * What a Node user would pick instead: Socket.IO with rooms, doing the same job —
 * `sub` joins rooms, `e` (room, payload) goes to the room and `*`, never the sender.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 7400);
const http = createServer((request, response) => {
  if (request.url === '/health') response.writeHead(200).end();
});
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.on('sub', (rooms: string[], ack?: () => void) => {
    void socket.join(rooms);
    ack?.();
  });
  socket.on('e', (room: string, payload: string) => {
    socket.to(room).to('*').emit('e', room, payload);
  });
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
