import { EventEmitter } from 'node:events';
import {
  BoundedQueue,
  decodeFrame,
  encodeAck,
  encodeFrame,
  encodeSubscriptionChange,
  isValidRoom,
  roomOfV2Event,
} from '@ces/protocol';
import { Observable, Subject } from 'rxjs';
import { EventStream } from './event-stream';
import { ConnectionState, HubConnection } from './hub-connection';
import { MessengerOptions, resolveOptions, ResolvedMessengerOptions } from './messenger-options';

/** An event as received: its room, and the event (parsed JSON, or bytes in raw mode). */
export interface RoomEvent<E = unknown> {
  room: string;
  event: E;
}

export type MessengerState = ConnectionState;

export interface MessengerStats {
  sent: number;
  received: number;
  buffered: number;
  dropped: number;
  reconnects: number;
}

export interface GroupOptions {
  /** Consumer group: each event of these rooms reaches one member of the group. */
  group: string;
  /** Keep events while no member is connected; members acknowledge what they handled. */
  durable?: boolean;
}

/** How often acknowledgements are sent at most, batched. */
const ACK_INTERVAL_MS = 20;

/**
 * A participant of the central event system, for any Node program.
 *
 * Events: `event` (room, event), `state` (state), `drop` (count of events dropped from the
 * outbound buffer), `error` (bad frames from the hub, connection trouble — never thrown).
 */
export class MessengerClient<E = unknown>
  extends EventEmitter
  implements AsyncIterable<RoomEvent<E>>
{
  readonly options: ResolvedMessengerOptions;
  private readonly connections: HubConnection[];
  private readonly rooms = new Set<string>();
  private readonly groups = new Map<string, { rooms: Set<string>; durable: boolean }>();
  private readonly outbox: BoundedQueue<Buffer>;
  private readonly stream: EventStream<RoomEvent<E>>;
  private readonly subject = new Subject<RoomEvent<E>>();
  private readonly counts = { sent: 0, received: 0, dropped: 0 };
  private readonly handlers = new Set<(room: string, event: E) => unknown>();
  private flushTimer?: NodeJS.Timeout;
  private started?: Promise<void>;
  private closed = false;

  /** Every event, as an RxJS observable that completes on `close()`. */
  readonly events$: Observable<RoomEvent<E>> = this.subject.asObservable();

  constructor(options: MessengerOptions) {
    super();
    this.options = resolveOptions(options);
    this.outbox = new BoundedQueue(this.options.bufferLimit);
    this.stream = new EventStream(this.options.iteratorLimit);
    for (const room of this.options.rooms) this.checkRoom(room);
    this.options.rooms.forEach((room) => this.rooms.add(room));
    this.connections = this.options.hubUrls.map((url) => this.createConnection(url));
  }

  /** `open` when some hub is open; `connecting` before the first; `reconnecting` after a drop. */
  get state(): MessengerState {
    if (this.closed) return 'closed';
    if (this.connections.some((c) => c.state === 'open')) return 'open';
    return this.connections.some((c) => c.reconnects > 0) ? 'reconnecting' : 'connecting';
  }

  /**
   * Starts connecting (every hub). Resolves once a hub is open; while none is, the client
   * keeps retrying and buffers what it is asked to send. Rejects only if closed first.
   */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the messenger is closed'));
    this.started ??= new Promise<void>((resolve, reject) => {
      const settle = (state: MessengerState) => {
        if (state === 'open') resolve();
        else if (state === 'closed')
          reject(new Error('the messenger was closed before it connected'));
        else return;
        this.off('state', settle);
      };
      this.on('state', settle);
      for (const connection of this.connections) connection.start();
    });
    return this.started;
  }

  /** Closes every socket, stops reconnecting, and completes the iterator and `events$`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.flushTimer);
    const sockets = this.connections.map((c) => c.socket).filter((s) => s !== undefined);
    const gone = sockets.map(
      (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    for (const connection of this.connections) connection.close();
    this.stream.end();
    this.subject.complete();
    this.announceState();
    await Promise.race([
      Promise.all(gone),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
  }

  subscribe(...rooms: string[]): void {
    rooms.forEach((room) => this.checkRoom(room));
    rooms.forEach((room) => this.rooms.add(room));
    this.sendControl(encodeSubscriptionChange({ rooms, create: true }));
  }

  unsubscribe(...rooms: string[]): void {
    rooms.forEach((room) => this.rooms.delete(room));
    this.sendControl(encodeSubscriptionChange({ rooms, create: false }));
  }

  /** Joins a consumer group for these rooms: each of their events reaches one member. */
  subscribeGroup(options: GroupOptions, ...rooms: string[]): void {
    rooms.forEach((room) => this.checkRoom(room));
    const entry = this.groups.get(options.group) ?? { rooms: new Set<string>(), durable: false };
    rooms.forEach((room) => entry.rooms.add(room));
    entry.durable ||= options.durable === true;
    this.groups.set(options.group, entry);
    this.sendControl(encodeSubscriptionChange({ rooms, create: true, ...options }));
  }

  unsubscribeGroup(group: string, ...rooms: string[]): void {
    const entry = this.groups.get(group);
    if (!entry) return;
    if (rooms.length === 0) this.groups.delete(group);
    rooms.forEach((room) => entry.rooms.delete(room));
    this.sendControl(encodeSubscriptionChange({ rooms, create: false, group }));
  }

  /** The rooms this client asked for, as it will ask again after a reconnect. */
  get subscriptions(): string[] {
    return [...this.rooms];
  }

  /** Sends an event (object, JSON text or bytes) to a room. Buffered while no hub is open. */
  send(room: string, event: unknown): void {
    this.checkRoom(room);
    if (event === undefined) throw new Error('send needs an event');
    this.enqueue(encodeFrame(room, event));
  }

  /** Sends a v2 event to the room its `affected-room.roomID` names. */
  sendEvent(event: Record<string, unknown>): void {
    const room = roomOfV2Event(event);
    if (room === undefined) {
      throw new Error(
        'sendEvent needs affected-room.roomID to route the event; use send(room, event) otherwise',
      );
    }
    this.send(room, event);
  }

  /**
   * Handles each event; with durable groups, an event counts as processed (and is
   * acknowledged) once every handler has returned or its promise has settled.
   */
  onEvent(handler: (room: string, event: E) => unknown): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Manual acknowledgement: the first `count` events received on each open connection are processed. */
  ack(count?: number): void {
    for (const connection of this.connections) {
      if (connection.isOpen) connection.socket!.send(encodeAck(count ?? connection.received));
    }
  }

  stats(): MessengerStats {
    const reconnects = this.connections.reduce((sum, c) => sum + c.reconnects, 0);
    return { ...this.counts, buffered: this.outbox.size, reconnects };
  }

  [Symbol.asyncIterator](): AsyncIterator<RoomEvent<E>> {
    return this.stream[Symbol.asyncIterator]();
  }

  private announcedState?: MessengerState;

  /** Emits `state` when the client's state (not one connection's) changes. */
  private announceState(): void {
    const state = this.state;
    if (state === this.announcedState) return;
    this.announcedState = state;
    this.emit('state', state);
  }

  private createConnection(url: string): HubConnection {
    const connection = new HubConnection(url, this.options);
    connection.on('open', () => this.onOpen(connection));
    connection.on('frame', (data: Buffer, isBinary: boolean) =>
      this.onFrame(connection, data, isBinary),
    );
    connection.on('socket-error', (error: Error) => this.report(error));
    connection.on('state', () => this.announceState());
    return connection;
  }

  /** After every (re)connect: subscriptions first, then what waited, in order. */
  private onOpen(connection: HubConnection): void {
    const socket = connection.socket!;
    if (this.options.kind === 'messenger') {
      if (this.rooms.size > 0)
        socket.send(encodeSubscriptionChange({ rooms: [...this.rooms], create: true }));
      for (const [group, { rooms, durable }] of this.groups) {
        socket.send(encodeSubscriptionChange({ rooms: [...rooms], create: true, group, durable }));
      }
    }
    this.flush();
  }

  private onFrame(connection: HubConnection, data: Buffer, isBinary: boolean): void {
    if (!isBinary) return this.onText(data);
    let room: string;
    let body: Buffer;
    try {
      ({ room, event: body } = decodeFrame(data));
    } catch (error) {
      return this.report(new Error(`bad frame from the hub: ${(error as Error).message}`));
    }
    const sequence = ++connection.received;
    this.counts.received++;
    let event: E;
    try {
      event = (this.options.raw ? body : JSON.parse(body.toString('utf8'))) as E;
    } catch {
      return this.report(new Error(`an event for ${room} is not valid JSON`));
    }
    this.dispatch(connection, sequence, { room, event });
  }

  private dispatch(connection: HubConnection, sequence: number, item: RoomEvent<E>): void {
    const pending: Promise<unknown>[] = [];
    try {
      this.emit('event', item.room, item.event);
    } catch (error) {
      this.report(error as Error);
    }
    for (const handler of this.handlers) {
      try {
        const result = handler(item.room, item.event);
        if (result instanceof Promise)
          pending.push(result.catch((error: Error) => this.report(error)));
      } catch (error) {
        this.report(error as Error);
      }
    }
    this.stream.push(item);
    this.subject.next(item);
    if (this.needsAcks()) this.acknowledgeWhenDone(connection, sequence, pending);
  }

  private needsAcks(): boolean {
    return this.options.ack === 'auto' && [...this.groups.values()].some((group) => group.durable);
  }

  private readonly processed = new WeakMap<
    HubConnection,
    { done: Set<number>; upTo: number; timer?: NodeJS.Timeout }
  >();

  /** Acknowledges in order: `{"ack": N}` promises the first N, so it waits for gaps to fill. */
  private acknowledgeWhenDone(
    connection: HubConnection,
    sequence: number,
    pending: Promise<unknown>[],
  ): void {
    let progress = this.processed.get(connection);
    if (!progress || sequence === 1)
      this.processed.set(connection, (progress = { done: new Set(), upTo: 0 }));
    const tracker = progress;
    const markDone = () => {
      tracker.done.add(sequence);
      while (tracker.done.delete(tracker.upTo + 1)) tracker.upTo++;
      tracker.timer ??= setTimeout(() => {
        tracker.timer = undefined;
        if (connection.isOpen) connection.socket!.send(encodeAck(tracker.upTo));
      }, ACK_INTERVAL_MS);
    };
    if (pending.length === 0) markDone();
    else void Promise.all(pending).then(markDone);
  }

  private onText(data: Buffer): void {
    // The hub answers a refused subscription or publish with {"error": ..., "details": [...]}.
    try {
      const message = JSON.parse(data.toString('utf8')) as { error?: string; details?: unknown };
      if (message.error)
        this.report(Object.assign(new Error(message.error), { details: message.details }));
    } catch {
      this.report(new Error('unreadable text frame from the hub'));
    }
  }

  private enqueue(frame: Buffer): void {
    if (this.closed) throw new Error('the messenger is closed');
    if (this.outbox.size === 0 && this.trySend(frame)) return;
    if (this.outbox.push(frame)) {
      this.counts.dropped++;
      this.emit('drop', 1);
    }
    this.scheduleFlush();
  }

  private trySend(frame: Buffer): boolean {
    const connection = this.connections.find(
      (c) => c.isOpen && c.socket!.bufferedAmount < this.options.highWaterBytes,
    );
    if (!connection) return false;
    connection.socket!.send(frame, { binary: true });
    this.counts.sent++;
    return true;
  }

  private flush(): void {
    for (let frame = this.outbox.shift(); frame; frame = this.outbox.shift()) {
      if (this.trySend(frame)) continue;
      // Put it back at the front: order matters more than anything here.
      const rest = this.outbox.drain();
      this.outbox.push(frame);
      rest.forEach((item) => this.outbox.push(item));
      this.scheduleFlush();
      return;
    }
  }

  /** While events wait and a hub is open but busy, try again shortly. */
  private scheduleFlush(): void {
    if (this.flushTimer || this.closed || !this.connections.some((c) => c.isOpen)) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, 10);
  }

  private sendControl(text: string): void {
    if (this.options.kind !== 'messenger')
      throw new Error('a repeater does not subscribe: it gets every room');
    for (const connection of this.connections) if (connection.isOpen) connection.socket!.send(text);
  }

  private checkRoom(room: string): void {
    if (!isValidRoom(room)) throw new Error(`"${room}" is not a valid room id`);
  }

  /** Errors go to `error` listeners; with none, to the logger — never thrown out of a socket handler. */
  private report(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.options.logger?.warn(`messenger: ${error.message}`);
  }
}
