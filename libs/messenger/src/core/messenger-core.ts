import {
  encodeAck,
  encodeSubscriptionChange,
  FrameError,
  recoveryReportOf,
  parseHubConfirmMessage,
  roomOfV2Event,
  RoomPosition,
} from '@ces/protocol';
import { Observable } from 'rxjs';
import { AckTracker } from './ack-tracker';
import { EventStream } from './event-stream';
import { ConnectionState, HubConnection } from './hub-connection';
import { MessengerPlatform } from './messenger-platform';
import { MessengerOptions, resolveOptions, ResolvedMessengerOptions } from './messenger-options';
import { OutboundBuffer } from './outbound-buffer';
import { RoomPositions, RoomRecovery, skipPositionLine } from './room-positions';
import { PublishConfirms } from './publish-confirms';
import { TypedEmitter } from './typed-emitter';

/** An event as received: its room, and the event (parsed JSON, or bytes in raw mode). */
export interface RoomEvent<E = unknown> {
  room: string;
  event: E;
  /** With `recover`, an event of a history room: its position at the hub. */
  position?: RoomPosition;
}

export type MessengerState = ConnectionState;

export interface MessengerStats {
  sent: number;
  received: number;
  /** Events waiting for a hub, and their bytes. */
  buffered: number;
  bufferedBytes: number;
  /** Events dropped from the outbound buffer. */
  dropped: number;
  reconnects: number;
}

export interface GroupOptions {
  /** Consumer group: each event of these rooms reaches one member of the group. */
  group: string;
  /** Keep events while no member is connected; members acknowledge what they handled. */
  durable?: boolean;
}

/** A handler of events: the room first, then the event, everywhere in the messenger's API. */
export type RoomEventHandler<E = unknown> = (
  room: string,
  event: E,
  position?: RoomPosition,
) => unknown;

/**
 * The messenger's events. Every handler API takes the room first, then the event.
 */
export interface MessengerEvents<E = unknown, Bytes extends Uint8Array = Uint8Array> {
  /**
   * An event: its room and the event (parsed JSON, or bytes in raw mode). With durable
   * groups, a returned promise delays the event's acknowledgement until it settles.
   */
  event(room: string, event: E, position?: RoomPosition): unknown;
  /**
   * Every event frame exactly as the hub sent it (`ROOM\n<event>`), only its room line read:
   * for forwarders, which pass the bytes on without decoding or re-encoding them. With
   * `recover`, frames of history rooms carry their position line (`ROOM\n@EPOCH:OFFSET\n<event>`).
   */
  frame(room: string, frame: Bytes): void;
  /**
   * With `recover`, after a reconnect: per room resumed, whether the events missed while away
   * follow (in order, before live ones) or are lost.
   */
  recovery(recovery: RoomRecovery): void;
  /** The client's state changed (not one connection's, with several hubs). */
  state(state: MessengerState): void;
  /** This many events were dropped from the outbound buffer to keep it within its bounds. */
  drop(count: number): void;
  /** A bad frame from the hub, an error the hub reported, connection trouble: never thrown. */
  error(error: Error): void;
}

/** How often acknowledgements are sent at most, batched. */
const ACK_INTERVAL_MS = 20;
/** An event sent on this many connections, each closed before the hub settled it, is given up. */
const MAX_PUBLISH_ATTEMPTS = 5;

/** Rooms remembered as valid (see `checkRoom`); past this many the memory starts over. */
const VALID_ROOMS_KEPT = 1024;

const NEWLINE = 0x0a;

type Timer = ReturnType<typeof setTimeout>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * A participant of the central event system, over whatever socket its platform dials: the
 * Node client (`ws`) and the browser client (the page's WebSocket) are this class.
 *
 * One dispatch path: each event frame goes to the `frame` listeners as bytes, then, only if
 * anything listens for events, is decoded once and handed to the `event` listeners. `onEvent`,
 * the async iterator and `events$` are `event` listeners too, added while they are in use, so
 * a client that nobody iterates holds no events.
 */
export class MessengerCore<E = unknown, Bytes extends Uint8Array = Uint8Array> extends TypedEmitter<
  MessengerEvents<E, Bytes>
> {
  readonly options: ResolvedMessengerOptions;
  private readonly connections: HubConnection<Bytes>[];
  private readonly rooms = new Set<string>();
  private readonly groups = new Map<string, { rooms: Set<string>; durable: boolean }>();
  private durableMember = false;
  private readonly outbox: OutboundBuffer;
  private readonly counts = { sent: 0, received: 0, dropped: 0 };
  private readonly acks = new Map<HubConnection<Bytes>, { tracker: AckTracker; timer?: Timer }>();
  private readonly streams = new Set<EventStream<RoomEvent<E>>>();
  /** With `recover`: the last position of each history room, per hub. */
  private readonly positions = new Map<HubConnection<Bytes>, RoomPositions>();
  private readonly completions = new Set<() => void>();
  private readonly validRooms = new Set<string>();
  /** With `confirms`: per hub, what it has not confirmed yet. */
  private readonly confirms = new Map<HubConnection<Bytes>, PublishConfirms>();
  private observable?: Observable<RoomEvent<E>>;
  private flushTimer?: Timer;
  private started?: Promise<void>;
  private announcedState?: MessengerState;
  private closed = false;

  constructor(
    options: MessengerOptions,
    private readonly platform: MessengerPlatform<Bytes>,
  ) {
    super();
    this.options = resolveOptions(options);
    this.outbox = new OutboundBuffer(this.options.bufferLimit, this.options.bufferBytes);
    for (const room of this.options.rooms) this.checkRoom(room);
    this.options.rooms.forEach((room) => this.rooms.add(room));
    this.connections = this.options.hubUrls.map((url) => this.createConnection(url));
    if (this.options.confirms) this.trackConfirms();
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

  /** Closes every socket, stops reconnecting, and completes the iterators and `events$`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.flushTimer);
    for (const { timer } of this.acks.values()) clearTimeout(timer);
    for (const confirms of this.confirms.values())
      confirms.failAll(new Error('the messenger was closed before the hub confirmed the event'));
    const closing = this.connections.map((connection) => connection.close());
    for (const stream of [...this.streams]) stream.end();
    for (const complete of [...this.completions]) complete();
    this.announceState();
    await Promise.all(closing);
  }

  subscribe(...rooms: string[]): void {
    rooms.forEach((room) => this.checkRoom(room));
    rooms.forEach((room) => this.rooms.add(room));
    this.sendControl(encodeSubscriptionChange({ rooms, create: true, ...this.positionsFlag() }));
  }

  unsubscribe(...rooms: string[]): void {
    rooms.forEach((room) => this.rooms.delete(room));
    for (const positions of this.positions.values())
      rooms.forEach((room) => positions.forget(room));
    this.sendControl(encodeSubscriptionChange({ rooms, create: false }));
  }

  /** Joins a consumer group for these rooms: each of their events reaches one member. */
  subscribeGroup(options: GroupOptions, ...rooms: string[]): void {
    rooms.forEach((room) => this.checkRoom(room));
    const entry = this.groups.get(options.group) ?? { rooms: new Set<string>(), durable: false };
    rooms.forEach((room) => entry.rooms.add(room));
    entry.durable ||= options.durable === true;
    this.groups.set(options.group, entry);
    this.noteDurability();
    this.sendControl(encodeSubscriptionChange({ rooms, create: true, ...options }));
  }

  unsubscribeGroup(group: string, ...rooms: string[]): void {
    const entry = this.groups.get(group);
    if (!entry) return;
    if (rooms.length === 0) this.groups.delete(group);
    rooms.forEach((room) => entry.rooms.delete(room));
    this.noteDurability();
    this.sendControl(encodeSubscriptionChange({ rooms, create: false, group }));
  }

  /** The rooms this client asked for, as it will ask again after a reconnect. */
  get subscriptions(): string[] {
    return [...this.rooms];
  }

  /**
   * Sends an event (object, JSON text or bytes) to a room. Buffered while no hub is open.
   * With `confirms`, a refusal or a publish the buffer cannot hold is reported as an `error`.
   */
  send(room: string, event: unknown): void {
    if (this.options.confirms)
      return void this.publish(room, event).catch((error: Error) => this.report(error));
    this.checkRoom(room);
    if (event === undefined) throw new Error('send needs an event');
    this.enqueue(this.platform.codec.encode(room, event));
  }

  /**
   * Publishes an event. With `confirms`, resolves once the hub has confirmed it and rejects
   * with the hub's reason (a `PublishRefusedError`) when it refuses it; without, it is `send`
   * and resolves at once: nothing tells the client that the hub took the event.
   */
  publish(room: string, event: unknown): Promise<void> {
    if (!this.options.confirms) {
      this.send(room, event);
      return Promise.resolve();
    }
    this.checkRoom(room);
    if (event === undefined) throw new Error('publish needs an event');
    if (this.closed) return Promise.reject(new Error('the messenger is closed'));
    // Resent only to the hub it was given to: only that hub can tell the resend from a new event.
    const connection = this.connections.find((c) => c.isOpen) ?? this.connections[0];
    const confirmed = this.confirms.get(connection)!.add(this.platform.codec.encode(room, event));
    this.flushConfirms(connection);
    return confirmed;
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
   * Handles each event, as an `event` listener does; returns the function that removes it.
   * With durable groups, an event counts as processed (and is acknowledged) once every
   * handler has returned or its promise has settled.
   */
  onEvent(handler: RoomEventHandler<E>): () => void {
    this.on('event', handler);
    return () => this.off('event', handler);
  }

  /** Manual acknowledgement: the first `count` events received on each open connection are processed. */
  ack(count?: number): void {
    for (const connection of this.connections)
      connection.send(encodeAck(count ?? connection.received));
  }

  stats(): MessengerStats {
    const reconnects = this.connections.reduce((sum, c) => sum + c.reconnects, 0);
    return {
      ...this.counts,
      buffered: this.outbox.size + sumOf(this.confirms, (c) => c.size),
      bufferedBytes: this.outbox.bytes + sumOf(this.confirms, (c) => c.bytes),
      reconnects,
    };
  }

  /**
   * Every event from now on, for `for await`: the iteration buffers (up to `iteratorLimit`,
   * oldest dropped) only while it lasts; `break` ends it. Ends on `close()`.
   */
  [Symbol.asyncIterator](): AsyncIterator<RoomEvent<E>> {
    const listener = (room: string, event: E, position?: RoomPosition) =>
      stream.push(roomEvent(room, event, position));
    const stream: EventStream<RoomEvent<E>> = new EventStream(this.options.iteratorLimit, () => {
      this.off('event', listener);
      this.streams.delete(stream);
    });
    if (this.closed) stream.end();
    else {
      this.streams.add(stream);
      this.on('event', listener);
    }
    return stream[Symbol.asyncIterator]();
  }

  /** Every event, as an RxJS observable: each subscription listens while it lasts; completes on `close()`. */
  get events$(): Observable<RoomEvent<E>> {
    return (this.observable ??= new Observable<RoomEvent<E>>((subscriber) => {
      if (this.closed) return subscriber.complete();
      const listener = (room: string, event: E, position?: RoomPosition) =>
        subscriber.next(roomEvent(room, event, position));
      const complete = () => subscriber.complete();
      this.on('event', listener);
      this.completions.add(complete);
      return () => {
        this.off('event', listener);
        this.completions.delete(complete);
      };
    }));
  }

  /** Emits `state` when the client's state (not one connection's) changes. */
  private announceState(): void {
    const state = this.state;
    if (state === this.announcedState) return;
    this.announcedState = state;
    this.notify('state', state);
  }

  private createConnection(url: string): HubConnection<Bytes> {
    const connection: HubConnection<Bytes> = new HubConnection(url, this.options, this.platform, {
      open: () => this.onOpen(connection),
      frame: (data) => this.onFrame(connection, data),
      text: (text) => this.onText(connection, text),
      error: (error) => this.report(error),
      state: () => this.announceState(),
    });
    if (this.options.recover) this.positions.set(connection, this.startingPositions());
    return connection;
  }

  /** One publisher id per hub, made once for the client's life (docs/protocol.md §4.4). */
  private trackConfirms(): void {
    const base = randomPublisherId();
    const limits = {
      maxEvents: this.options.bufferLimit,
      maxBytes: this.options.bufferBytes,
      maxAttempts: MAX_PUBLISH_ATTEMPTS,
    };
    this.connections.forEach((connection, i) => {
      const publisher = this.connections.length === 1 ? base : `${base}.${i}`;
      this.confirms.set(connection, new PublishConfirms(publisher, limits));
    });
  }

  /** After every (re)connect: the confirm request, subscriptions, then what waited, in order. */
  private onOpen(connection: HubConnection<Bytes>): void {
    this.acks.set(connection, { tracker: new AckTracker() });
    const confirms = this.confirms.get(connection);
    if (confirms) connection.send(confirms.opened());
    if (this.options.kind === 'messenger') {
      if (this.rooms.size > 0) connection.send(this.resubscription(connection));
      for (const [group, { rooms, durable }] of this.groups) {
        connection.send(
          encodeSubscriptionChange({ rooms: [...rooms], create: true, group, durable }),
        );
      }
    }
    this.flush();
  }

  /** The one path every received event takes. */
  private onFrame(connection: HubConnection<Bytes>, data: Bytes): void {
    const { codec } = this.platform;
    let room: string;
    try {
      room = codec.room(data);
    } catch (error) {
      return this.report(new Error(`bad frame from the hub: ${(error as Error).message}`));
    }
    const position = this.options.recover
      ? this.positions.get(connection)?.noteFrame(room, data)
      : undefined;
    const sequence = ++connection.received;
    this.counts.received++;
    for (const listener of this.listenersOf('frame')) {
      try {
        listener(room, data);
      } catch (error) {
        this.report(error as Error);
      }
    }
    const listeners = this.listenersOf('event');
    if (listeners.length === 0) return this.processed(connection, sequence);
    const event = this.eventOf(room, data, position !== undefined);
    if (event === undefined) return this.processed(connection, sequence);
    let pending: Promise<unknown>[] | undefined;
    for (const listener of listeners) {
      try {
        const result = listener(room, event.value, position);
        if (isThenable(result)) {
          const settled = Promise.resolve(result).catch((error: Error) => this.report(error));
          if (this.durableMember) (pending ??= []).push(settled);
        }
      } catch (error) {
        this.report(error as Error);
      }
    }
    if (pending) void Promise.all(pending).then(() => this.processed(connection, sequence));
    else this.processed(connection, sequence);
  }

  /** The event of a frame, parsed unless raw; undefined (reported) when it cannot be read. */
  private eventOf(room: string, data: Bytes, positioned: boolean): { value: E } | undefined {
    const { codec } = this.platform;
    // Hot path: onFrame has checked the room line, and JSON.parse skips the whitespace that
    // decode would trim, so the text after the first newline parses to the same event without
    // reading the room again. Anything that does not parse takes the full path below, which
    // says why (an empty event is a bad frame, not bad JSON). A positioned frame has its
    // position line first: it takes the full path.
    if (!this.options.raw && !positioned) {
      try {
        return {
          value: JSON.parse(codec.text(data.subarray(data.indexOf(NEWLINE) + 1) as Bytes)) as E,
        };
      } catch {
        // reported below
      }
    }
    try {
      const decoded = codec.decode(data).event;
      const event = positioned ? skipPositionLine(decoded) : decoded;
      return { value: (this.options.raw ? event : JSON.parse(codec.text(event))) as E };
    } catch (error) {
      const message =
        error instanceof FrameError
          ? `bad frame from the hub: ${error.message}`
          : `an event for ${room} is not valid JSON`;
      this.report(new Error(message));
      return undefined;
    }
  }

  /**
   * An event is processed (or could not be): acknowledged in order, batched, when this client
   * is a member of a durable group that acknowledges automatically.
   */
  private processed(connection: HubConnection<Bytes>, sequence: number): void {
    if (!this.durableMember || this.options.ack !== 'auto') return;
    const progress = this.acks.get(connection);
    if (!progress?.tracker.processed(sequence)) return;
    progress.timer ??= setTimeout(() => {
      progress.timer = undefined;
      if (this.acks.get(connection) === progress) connection.send(encodeAck(progress.tracker.upTo));
    }, ACK_INTERVAL_MS);
  }

  private noteDurability(): void {
    this.durableMember = [...this.groups.values()].some((group) => group.durable);
  }

  private onText(connection: HubConnection<Bytes>, text: string): void {
    const confirms = this.confirms.get(connection);
    const confirm = confirms && parseHubConfirmMessage(text);
    if (confirm) return confirms.receive(confirm);
    // The hub answers a refused subscription or publish with {"error": ..., "details": [...]}.
    try {
      const message = JSON.parse(text) as { error?: string; details?: unknown };
      const report = this.options.recover ? recoveryReportOf(message) : undefined;
      if (report) return this.recovered(connection, report);
      if (message.error)
        this.report(Object.assign(new Error(message.error), { details: message.details }));
    } catch {
      this.report(new Error('unreadable text frame from the hub'));
    }
  }

  /** What the hub said of a room this client resumed: remembered, then told to `recovery` listeners. */
  private recovered(
    connection: HubConnection<Bytes>,
    report: NonNullable<ReturnType<typeof recoveryReportOf>>,
  ): void {
    this.positions.get(connection)?.applyReport(report);
    const { room, epoch, offset } = report;
    const recovery: RoomRecovery = report.recovered
      ? {
          room,
          recovered: true,
          events: report.events,
          position: { epoch, offset },
          hubUrl: connection.hubUrl,
        }
      : {
          room,
          recovered: false,
          reason: report.reason,
          events: 0,
          position: { epoch, offset },
          hubUrl: connection.hubUrl,
        };
    try {
      this.emit('recovery', recovery);
    } catch (error) {
      this.report(error as Error);
    }
  }

  /** The subscription a (re)connect sends: with `recover`, positions on and where to resume. */
  private resubscription(connection: HubConnection<Bytes>): string {
    const rooms = [...this.rooms];
    if (!this.options.recover) return encodeSubscriptionChange({ rooms, create: true });
    const recover = this.positions.get(connection)?.resumeFrom(rooms);
    return encodeSubscriptionChange({ rooms, create: true, positions: true, recover });
  }

  private startingPositions(): RoomPositions {
    const positions = new RoomPositions();
    for (const [room, position] of Object.entries(this.options.resumeFrom))
      positions.set(room, position);
    return positions;
  }

  private positionsFlag(): { positions?: true } {
    return this.options.recover ? { positions: true } : {};
  }

  private enqueue(frame: Uint8Array): void {
    if (this.closed) throw new Error('the messenger is closed');
    if (this.outbox.size === 0 && this.trySend(frame)) return;
    const dropped = this.outbox.push(frame);
    if (dropped > 0) {
      this.counts.dropped += dropped;
      this.notify('drop', dropped);
    }
    this.scheduleFlush();
  }

  private trySend(frame: Uint8Array): boolean {
    // A plain loop: this runs for every event sent, and `find` would allocate a closure each time.
    for (const connection of this.connections) {
      if (!connection.isOpen || connection.bufferedAmount >= this.options.highWaterBytes) continue;
      if (!connection.send(frame)) return false;
      this.counts.sent++;
      return true;
    }
    return false;
  }

  /** Writes what a hub has not confirmed and not been sent on this connection, while it has room. */
  private flushConfirms(connection: HubConnection<Bytes>): void {
    const confirms = this.confirms.get(connection)!;
    for (let frame = confirms.nextToWrite(); frame; frame = confirms.nextToWrite()) {
      // A closed connection is written to again when it opens.
      if (!connection.isOpen) return;
      if (connection.bufferedAmount >= this.options.highWaterBytes) return this.scheduleFlush();
      connection.send(frame);
      confirms.written();
      this.counts.sent++;
    }
  }

  /** Sends what waited, oldest first, until a hub is busy: order matters more than anything here. */
  private flush(): void {
    for (const connection of this.confirms.keys()) this.flushConfirms(connection);
    for (let frame = this.outbox.peek(); frame; frame = this.outbox.peek()) {
      if (!this.trySend(frame)) return this.scheduleFlush();
      this.outbox.shift();
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
    for (const connection of this.connections) connection.send(text);
  }

  /**
   * Runs for every event sent. A room's validity depends on the room alone, and checking it
   * costs about as much as framing the event, so the rooms found valid are remembered (a
   * bounded set: a client that sends to ever new rooms only checks them all again).
   */
  private checkRoom(room: string): void {
    if (this.validRooms.has(room)) return;
    if (!this.platform.codec.isValidRoom(room)) throw new Error(`"${room}" is not a valid room id`);
    if (this.validRooms.size >= VALID_ROOMS_KEPT) this.validRooms.clear();
    this.validRooms.add(room);
  }

  /** Emits without letting a listener's exception escape into a socket handler. */
  private notify<K extends 'state' | 'drop'>(
    name: K,
    ...args: Parameters<MessengerEvents<E, Bytes>[K]>
  ): void {
    try {
      this.emit(name, ...args);
    } catch (error) {
      this.report(error as Error);
    }
  }

  /** Errors go to `error` listeners; with none, to the logger — never thrown out of a socket handler. */
  private report(error: Error): void {
    try {
      if (this.emit('error', error)) return;
    } catch (thrown) {
      error = thrown as Error;
    }
    this.options.logger?.warn(`messenger: ${error.message}`);
  }
}

/** A RoomEvent, with `position` only when the event has one. */
function roomEvent<E>(room: string, event: E, position: RoomPosition | undefined): RoomEvent<E> {
  return position === undefined ? { room, event } : { room, event, position };
}

function sumOf<K, V>(map: Map<K, V>, count: (value: V) => number): number {
  let sum = 0;
  for (const value of map.values()) sum += count(value);
  return sum;
}

/** A publisher id of the allowed characters, random enough never to meet another client's. */
function randomPublisherId(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return random ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
