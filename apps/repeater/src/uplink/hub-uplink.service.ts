import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MessengerClient } from '@ces/messenger';
import { REPEATER_CONFIG, RepeaterConfig } from '../config/repeater-config';

export type HubEventHandler = (room: string, event: Buffer) => void;

/**
 * The repeater's connection to its hub: a messenger client of kind `repeater`, in raw
 * mode so events pass through unparsed, with its reconnect and bounded buffering.
 */
@Injectable()
export class HubUplinkService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(HubUplinkService.name);
  readonly client: MessengerClient;

  constructor(@Inject(REPEATER_CONFIG) config: RepeaterConfig) {
    this.client = new MessengerClient({
      hubUrl: config.hubUrl,
      kind: 'repeater',
      raw: true,
      bufferLimit: config.uplinkBuffer,
      token: config.hubToken || undefined,
    });
    this.client.on('error', (error: Error) => this.logger.warn(`hub uplink: ${error.message}`));
    this.client.on('state', (state: string) =>
      this.logger.log(`hub uplink ${state} (${config.hubUrl})`),
    );
  }

  onModuleInit(): void {
    // Start without waiting: the repeater serves (and buffers) while the hub is away.
    this.client.connect().catch((error: Error) => this.logger.warn(`hub uplink: ${error.message}`));
  }

  onEvent(handler: HubEventHandler): void {
    this.client.on('event', (room: string, event: Buffer) => handler(room, event));
  }

  forward(room: string, event: Buffer): void {
    this.client.send(room, event);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
