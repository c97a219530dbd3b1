import type { AppSettings } from '@ces/server-kit';
import { oneOf, serverSettingsClass, text, wholeNumber } from '@ces/server-kit';

/**
 * The repeater's own settings, by their names after `REPEATER_`. The README's configuration
 * table describes each, with the same defaults.
 */
const REPEATER_OWN_SETTINGS = {
  HUB_URL: text('ws://localhost:7100', {
    matches: /^wss?:\/\/.+/,
    message: 'must be a ws:// or wss:// URL',
  }),
  HUB_TOKEN: text(),
  // Events held for the hub while the uplink is down.
  UPLINK_BUFFER: wholeNumber(10_000, { min: 0 }),

  IDLE_TIMEOUT_MS: wholeNumber(5000, { min: 100 }),
  PING_INTERVAL_MS: wholeNumber(30_000, { min: 100 }),

  // The send map: room → targets, from a file and inline JSON merged over it.
  SEND_MAP_PATH: text(),
  SEND_MAP: text(),
  HTTP_TIMEOUT_MS: wholeNumber(5000, { min: 100 }),
  HTTP_RETRIES: wholeNumber(3, { min: 0, max: 20 }),
  HTTP_BACKOFF_MS: wholeNumber(200, { min: 10 }),
  TARGET_QUEUE: wholeNumber(1000, { min: 1 }),
  TARGET_QUEUE_BYTES: wholeNumber(16 * 1024 * 1024, { min: 1024 }),

  // `strict` validates v2 events with the protocol's DTO; `lenient` only needs JSON and a room.
  VALIDATION: oneOf(['strict', 'lenient'], 'strict'),
};

/** Every setting of the repeater, read from the environment and validated at startup. */
export const RepeaterEnvironment = serverSettingsClass(
  'RepeaterEnvironment',
  'REPEATER',
  7101,
  REPEATER_OWN_SETTINGS,
);
export type RepeaterEnvironment = InstanceType<typeof RepeaterEnvironment>;

/** Settings given in code (tests start repeaters this way); they override the environment. */
export type RepeaterSettings = AppSettings<RepeaterEnvironment>;
