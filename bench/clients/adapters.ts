import type { Msg } from '@nats-io/nats-core';
import { connect as connectNats } from '@nats-io/transport-node';
import { io, Socket } from 'socket.io-client';
import { WebSocket } from 'ws';

/** One client connection, the same interface for every target. */
export interface BenchConnection {
  /** Subscribes to rooms; with `durableGroup`, joins that durable group for them instead. */
  subscribe(rooms: string[], durableGroup?: string): Promise<void>;
  /** `{"ack": N}`: the first N event frames this connection was sent are processed. */
  ack(count: number): void;
  publish(room: string, payload: string): void;
  onEvent(handler: (room: string, payload: string) => void): void;
  /** Stops reading from the socket: a consumer that has stalled. */
  stall(): void;
  /** Bytes waiting to be written: the publisher holds back above a bound. */
  buffered(): number;
  /**
   * Asks the hub for publish confirms (docs/protocol.md §4.4) from sequence 1: `confirmed`
   * gets each cumulative confirm, `refused` each refusal. CES targets only.
   */
  askConfirms(
    publisher: string,
    confirmed: (upTo: number) => void,
    refused: (seq: number) => void,
  ): void;
  close(): void;
}

export type TargetProtocol = 'ces' | 'socketio' | 'nats';

export function connect(protocol: TargetProtocol, url: string): Promise<BenchConnection> {
  if (protocol === 'nats') return connectToNats(url);
  return protocol === 'ces' ? connectCes(url) : connectSocketIo(url);
}

/** Subjects of the NATS-alone target: the bench's rooms (`room-N`) need no escaping. */
const NATS_SUBJECT = 'bench.';

/**
 * NATS alone, as the floor under hubs in cluster mode: a room is a subject, an event a
 * message with the same payload; no hub, no rights, no groups.
 */
async function connectToNats(url: string): Promise<BenchConnection> {
  const nc = await connectNats({ servers: url, noEcho: false });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let handler: ((room: string, payload: string) => void) | undefined;
  return {
    subscribe: async (rooms, durableGroup) => {
      if (durableGroup) throw new Error('durable groups are measured on the hub only');
      for (const room of rooms)
        nc.subscribe(NATS_SUBJECT + room, {
          callback: (error: Error | null, msg: Msg) => {
            if (!error) handler?.(msg.subject.slice(NATS_SUBJECT.length), decoder.decode(msg.data));
          },
        });
      await nc.flush();
    },
    ack: () => {
      throw new Error('acknowledgements are measured on the hub only');
    },
    publish: (room, payload) => nc.publish(NATS_SUBJECT + room, encoder.encode(payload)),
    onEvent: (on) => (handler = on),
    stall: () => {
      throw new Error('stalled consumers are measured on CES targets only');
    },
    buffered: () => 0,
    askConfirms: () => {
      throw new Error('publish confirms are measured on the hub only');
    },
    close: () => void nc.close(),
  };
}

/** The CES wire protocol, spoken directly: binary `ROOM\n<json>` frames, JSON subscriptions. */
function connectCes(url: string): Promise<BenchConnection> {
  const socket = new WebSocket(`${url}/connect/messenger`, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        subscribe: (rooms, durableGroup) =>
          new Promise((done) => {
            const group = durableGroup ? { group: durableGroup, durable: true } : {};
            socket.send(JSON.stringify({ rooms, create: true, ...group }));
            socket.once('pong', () => done());
            socket.ping();
          }),
        ack: (count) => socket.send(JSON.stringify({ ack: count })),
        publish: (room, payload) =>
          socket.send(Buffer.from(`${room}\n${payload}`), { binary: true }),
        onEvent: (handler) =>
          socket.on('message', (data: Buffer, isBinary: boolean) => {
            if (!isBinary) return;
            const newline = data.indexOf(10);
            handler(data.toString('utf8', 0, newline), data.toString('utf8', newline + 1));
          }),
        stall: () => (socket as unknown as { _socket: { pause(): void } })._socket.pause(),
        buffered: () => socket.bufferedAmount,
        askConfirms: (publisher, confirmed, refused) => {
          socket.send(JSON.stringify({ confirm: { publisher, next: 1 } }));
          socket.on('message', (data: Buffer, isBinary: boolean) => {
            if (isBinary) return;
            const message = JSON.parse(data.toString()) as {
              confirmed?: number;
              refused?: { seq: number };
            };
            if (message.confirmed !== undefined) confirmed(message.confirmed);
            else if (message.refused) refused(message.refused.seq);
          });
        },
        close: () => socket.terminate(),
      }),
    );
  });
}

function connectSocketIo(url: string): Promise<BenchConnection> {
  const socket: Socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () =>
      resolve({
        subscribe: (rooms, durableGroup) => {
          if (durableGroup) throw new Error('durable groups are measured on the hub only');
          return new Promise((done) => socket.emit('sub', rooms, () => done()));
        },
        ack: () => {
          throw new Error('acknowledgements are measured on the hub only');
        },
        publish: (room, payload) => socket.emit('e', room, payload),
        onEvent: (handler) => socket.on('e', handler),
        stall: () => {
          throw new Error('stalled consumers are measured on CES targets only');
        },
        buffered: () => 0,
        askConfirms: () => {
          throw new Error('publish confirms are measured on the hub only');
        },
        close: () => socket.disconnect(),
      }),
    );
  });
}
