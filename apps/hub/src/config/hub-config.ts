import { randomBytes } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { FrameLimits } from '@ces/protocol';
import { LogLevel } from '@ces/protocol/server';
import { HubEnvironment } from './hub-environment';

/** The hub's settings in the shape its services use them. */
export interface HubConfig {
  host: string;
  port: number;
  hubId: string;
  pingIntervalMs: number;
  frameLimits: FrameLimits;
  sendHighWaterBytes: number;
  repeaterBacklog: number;
  perMessageDeflate: boolean;
  linkBackoff: { initialMs: number; maxMs: number };
  peers: string[];
  logLevel: LogLevel;
}

export const HUB_CONFIG = Symbol('HUB_CONFIG');

export function hubConfigFrom(config: ConfigService): HubConfig {
  const env = (key: keyof HubEnvironment) => config.getOrThrow(key);
  return {
    host: env('HUB_HOST'),
    port: env('HUB_PORT'),
    hubId: env('HUB_ID') || `hub-${randomBytes(4).toString('hex')}`,
    pingIntervalMs: env('HUB_PING_INTERVAL_MS'),
    frameLimits: {
      maxFrameBytes: env('HUB_MAX_FRAME_BYTES'),
      maxRoomBytes: env('HUB_MAX_ROOM_BYTES'),
    },
    sendHighWaterBytes: env('HUB_SEND_HIGH_WATER_BYTES'),
    repeaterBacklog: env('HUB_REPEATER_BACKLOG'),
    perMessageDeflate: env('HUB_PERMESSAGE_DEFLATE'),
    linkBackoff: {
      initialMs: env('HUB_LINK_BACKOFF_INITIAL_MS'),
      maxMs: env('HUB_LINK_BACKOFF_MAX_MS'),
    },
    peers: String(env('HUB_PEERS'))
      .split(',')
      .map((peer) => peer.trim())
      .filter(Boolean),
    logLevel: env('LOG_LEVEL'),
  };
}
