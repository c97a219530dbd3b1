import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Observable } from 'rxjs';
import {
  GroupOptions,
  MessengerState,
  MessengerStats,
  RoomEvent,
  RoomEventHandler,
} from '../core/messenger-core';
import { RoomRecovery } from '../core/room-positions';
import { MessengerClient } from '../node/messenger-client';
import { MESSENGER_OPTIONS, MessengerModuleOptions } from './messenger.module-definition';

/** The messenger of a Nest app: send, subscribe, and the events as an observable. */
@Injectable()
export class MessengerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Messenger');
  readonly client: MessengerClient;

  constructor(@Inject(MESSENGER_OPTIONS) private readonly options: MessengerModuleOptions) {
    this.client = new MessengerClient({ logger: this.logger, ...options });
    this.client.on('error', (error) => this.logger.warn(error.message));
    this.client.on('state', (state) => this.logger.log(`hub connection ${state}`));
    this.client.on('recovery', (recovery) => this.logRecovery(recovery));
  }

  async onModuleInit(): Promise<void> {
    if (this.options.connectOnInit === false) return;
    const connected = this.client.connect();
    if (this.options.waitForConnection) await connected;
    else connected.catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  get events$(): Observable<RoomEvent> {
    return this.client.events$;
  }

  get state(): MessengerState {
    return this.client.state;
  }

  stats(): MessengerStats {
    return this.client.stats();
  }

  send(room: string, event: unknown): void {
    this.client.send(room, event);
  }

  sendEvent(event: Record<string, unknown>): void {
    this.client.sendEvent(event);
  }

  /** With the module's `confirms` option, settles on the hub's confirm or refusal (see MessengerCore). */
  publish(room: string, event: unknown): Promise<void> {
    return this.client.publish(room, event);
  }

  /** Handles each event, room first; returns the function that removes the handler. */
  onEvent(handler: RoomEventHandler): () => void {
    return this.client.onEvent(handler);
  }

  /** With `recover`: per room resumed after a reconnect, whether what was missed follows. */
  onRecovery(handler: (recovery: RoomRecovery) => void): () => void {
    this.client.on('recovery', handler);
    return () => this.client.off('recovery', handler);
  }

  /** The same, as an observable. */
  get recoveries$(): Observable<RoomRecovery> {
    return new Observable<RoomRecovery>((subscriber) =>
      this.onRecovery((recovery) => subscriber.next(recovery)),
    );
  }

  subscribe(...rooms: string[]): void {
    this.client.subscribe(...rooms);
  }

  unsubscribe(...rooms: string[]): void {
    this.client.unsubscribe(...rooms);
  }

  subscribeGroup(options: GroupOptions, ...rooms: string[]): void {
    this.client.subscribeGroup(options, ...rooms);
  }

  private logRecovery({ room, recovered, reason, events }: RoomRecovery): void {
    if (recovered) this.logger.log(`${room}: recovered ${events} missed event(s)`);
    else this.logger.warn(`${room}: could not recover what was missed (${reason})`);
  }
}
