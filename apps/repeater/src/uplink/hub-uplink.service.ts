import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MessengerClient } from '@ces/messenger';
import { decodeFrame, isValidClientName } from '@ces/protocol';
import { RateLimitedLogger } from '@ces/server-kit';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';
import { RepeaterCounters } from '../status/repeater-counters';

/** A hub event: its room, the event's bytes (a view into the frame), and the frame as received. */
export type HubEventHandler = (room: string, event: Buffer, frame: Buffer) => void;

/** A hub event frame as received (`ROOM\n<event>`), to be passed on as it is. */
export type HubFrameHandler = (room: string, frame: Buffer) => void;

/**
 * How long after the repeater starts its first dials may fail quietly (at debug): started
 * together, as `npm start` and compose do, the hub is often still starting. After that, or
 * once the uplink has been open, a failure is a warning.
 */
export const UPLINK_STARTUP_GRACE_MS = 5_000;

/**
 * The repeater's connection to its hub: a messenger client of kind `repeater` named after
 * REPEATER_ID, listening for raw frames only (events are never parsed nor re-encoded here),
 * with its reconnect and its outbound buffer bounded in count and bytes.
 */
@Injectable()
export class HubUplinkService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(HubUplinkService.name);
  /** A hub that stays away is retried with backoff: one warning per interval is enough. */
  private readonly rateLimited = new RateLimitedLogger(this.logger);
  private startedAt = Date.now();
  private opened = false;
  private closing = false;
  readonly client: MessengerClient;

  constructor(
    @Inject(REPEATER_CONFIG) config: RepeaterConfig,
    private readonly counters: RepeaterCounters,
  ) {
    const named = isValidClientName(config.repeaterId);
    if (!named)
      this.logger.warn(
        `REPEATER_ID "${config.repeaterId}" cannot be a client name (1 to 64 of A-Z a-z 0-9 . _ : -): the hub will name this repeater itself`,
      );
    this.client = new MessengerClient({
      hubUrl: config.hubUrl,
      name: named ? config.repeaterId : undefined,
      kind: 'repeater',
      raw: true,
      bufferLimit: config.uplinkBuffer,
      token: config.hubToken || undefined,
    });
    this.client.on('error', (error) => this.onError(error));
    this.client.on('state', (state) => this.onState(state, config.hubUrl));
    this.client.on('frame', (_room, frame) => (counters.bytesIn.uplink += frame.length));
  }

  onModuleInit(): void {
    this.startedAt = Date.now();
    // Start without waiting: the repeater serves (and buffers) while the hub is away.
    this.client.connect().catch((error: Error) => this.onError(error));
  }

  /** True while no uplink has opened yet, within the grace after start. */
  private get starting(): boolean {
    return !this.opened && Date.now() - this.startedAt < UPLINK_STARTUP_GRACE_MS;
  }

  private onError(error: Error): void {
    if (this.closing) return this.logger.debug(`hub uplink: ${error.message}`);
    if (this.starting)
      return this.logger.debug(`hub uplink: ${error.message} (the hub may be starting; retrying)`);
    this.rateLimited.warn('uplink', `hub uplink: ${error.message}`);
  }

  private onState(state: string, hubUrl: string): void {
    if (state === 'open') this.opened = true;
    const line = `hub uplink ${state} (${hubUrl})`;
    if (this.starting) this.logger.debug(line);
    else this.logger.log(line);
  }

  /** Each hub frame, untouched: for senders that pass frames on as they came. */
  onFrame(handler: HubFrameHandler): void {
    this.client.on('frame', handler);
  }

  /** Each hub event with its bytes located in the frame (no copy, no parsing) and the frame itself. */
  onEvent(handler: HubEventHandler): void {
    this.client.on('frame', (room, frame) => {
      let event: Buffer;
      try {
        event = decodeFrame(frame).event;
      } catch (error) {
        return this.logger.warn(`hub uplink: an event for ${room}: ${(error as Error).message}`);
      }
      handler(room, event, frame);
    });
  }

  forward(room: string, event: Buffer): void {
    this.client.send(room, event);
    // The frame as the hub gets it: `ROOM\n<event>`.
    this.counters.bytesOut.uplink += Buffer.byteLength(room) + 1 + event.length;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.client.close();
  }
}
