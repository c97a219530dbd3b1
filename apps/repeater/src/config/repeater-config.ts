import { randomBytes } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { eventProfile, FrameLimits, IntakeOptions } from '@ces/protocol';
import { serverConfigOf, ServerConfig } from '@ces/server-kit';
import { RepeaterEnvironment } from './repeater-environment';

export type ValidationMode = 'strict' | 'lenient';

/** The repeater's settings in the shape its services use them. */
export interface RepeaterConfig extends ServerConfig {
  repeaterId: string;
  hubUrl: string;
  hubToken: string;
  idleTimeoutMs: number;
  sendMapPath: string;
  sendMapInline: string;
  validation: ValidationMode;
  /** How events are validated, routed and stamped at ingress. */
  intake: IntakeOptions;
  http: { timeoutMs: number; retries: number; backoffMs: number };
  /** Bounds of each send-map target's queue. */
  targetQueue: { maxEvents: number; maxBytes: number };
  /** Keepalive and back-pressure of outside sockets and ws targets. */
  delivery: { pingIntervalMs: number; highWaterBytes: number; slowConsumerMs: number };
  uplinkBuffer: number;
  frameLimits: FrameLimits;
}

export const REPEATER_CONFIG = Symbol('REPEATER_CONFIG');

export function repeaterConfigFrom(config: ConfigService): RepeaterConfig {
  const settings = config.getOrThrow<RepeaterEnvironment>('repeater');
  const env = <K extends keyof RepeaterEnvironment>(key: K) => settings[key];
  return {
    ...serverConfigOf(settings, 'REPEATER'),
    repeaterId: env('REPEATER_ID') || `repeater-${randomBytes(4).toString('hex')}`,
    hubUrl: env('REPEATER_HUB_URL'),
    hubToken: env('REPEATER_HUB_TOKEN'),
    idleTimeoutMs: env('REPEATER_IDLE_TIMEOUT_MS'),
    sendMapPath: env('REPEATER_SEND_MAP_PATH'),
    sendMapInline: env('REPEATER_SEND_MAP'),
    validation: env('REPEATER_VALIDATION'),
    http: {
      timeoutMs: env('REPEATER_HTTP_TIMEOUT_MS'),
      retries: env('REPEATER_HTTP_RETRIES'),
      backoffMs: env('REPEATER_HTTP_BACKOFF_MS'),
    },
    targetQueue: {
      maxEvents: env('REPEATER_TARGET_QUEUE'),
      maxBytes: env('REPEATER_TARGET_QUEUE_BYTES'),
    },
    delivery: {
      pingIntervalMs: env('REPEATER_PING_INTERVAL_MS'),
      highWaterBytes: env('REPEATER_SEND_HIGH_WATER_BYTES'),
      slowConsumerMs: env('REPEATER_SLOW_CONSUMER_MS'),
    },
    uplinkBuffer: env('REPEATER_UPLINK_BUFFER'),
    frameLimits: { maxFrameBytes: env('REPEATER_MAX_FRAME_BYTES'), maxRoomBytes: 256 },
    intake: {
      profile: eventProfile(env('REPEATER_EVENT_PROFILE'), {
        lenient: env('REPEATER_VALIDATION') === 'lenient',
      }),
      enrich: env('REPEATER_ENRICH'),
      limits: { maxFrameBytes: env('REPEATER_MAX_FRAME_BYTES'), maxRoomBytes: 256 },
    },
  };
}
