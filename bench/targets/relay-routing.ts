/**
 * The relay's routing: the hub's rules for messengers (room and `*` subscribers, never the
 * sender) and repeaters (one, round robin), with no validation beyond the room line. Shared
 * by the bare relay and by the same relay inside a minimal Nest app.
 */
import type { Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

export function attachRelay(server: Server): WebSocketServer {
  const rooms = new Map<string, Set<WebSocket>>();
  const roomsOf = new Map<WebSocket, Set<string>>();
  const repeaters: WebSocket[] = [];
  let nextRepeater = 0;
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1024 * 1024 });

  function subscribe(socket: WebSocket, message: { rooms?: string[]; create?: boolean }): void {
    for (const room of message.rooms ?? []) {
      if (message.create) {
        let set = rooms.get(room);
        if (!set) rooms.set(room, (set = new Set()));
        set.add(socket);
        roomsOf.get(socket)!.add(room);
      } else {
        rooms.get(room)?.delete(socket);
        roomsOf.get(socket)!.delete(room);
      }
    }
  }

  function route(sender: WebSocket, kind: string, frame: Buffer): void {
    const newline = frame.indexOf(10);
    if (newline <= 0) return;
    const room = frame.toString('utf8', 0, newline);
    const inRoom = rooms.get(room);
    for (const peer of inRoom ?? []) if (peer !== sender) peer.send(frame, { binary: true });
    for (const peer of rooms.get('*') ?? []) {
      if (peer !== sender && !inRoom?.has(peer)) peer.send(frame, { binary: true });
    }
    if (kind === 'messenger' && repeaters.length > 0) {
      repeaters[nextRepeater++ % repeaters.length].send(frame, { binary: true });
    }
  }

  wss.on('connection', (socket, request) => {
    const kind = (request.url ?? '').split('/')[2];
    if (kind === 'repeater') repeaters.push(socket);
    roomsOf.set(socket, new Set());
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary && data[0] === 0x7b) return subscribe(socket, JSON.parse(data.toString()));
      route(socket, kind, data);
    });
    socket.on('close', () => {
      for (const room of roomsOf.get(socket) ?? []) rooms.get(room)?.delete(socket);
      roomsOf.delete(socket);
      const index = repeaters.indexOf(socket);
      if (index >= 0) repeaters.splice(index, 1);
    });
  });
  return wss;
}
