import { v7 as uuidv7 } from 'uuid';
import { FieldError } from '../subscription';
import { roomOfV2Event, validateAs, validateV2Event, ValidationResult } from './event-validation';
import { ServiceEventDto } from './service-event.dto';

export type EventProfileName = 'v2' | 'service-event';

/** How events of one shape are validated, routed and stamped where they enter the system. */
export interface EventProfile {
  readonly name: EventProfileName;
  validate(value: unknown): ValidationResult<Record<string, unknown>>;
  /** The routing tag the event carries, if any. */
  roomOf(event: Record<string, unknown>): string | undefined;
  /** The field the time of acceptance is written to. */
  readonly processedField: string;
  /** Where the routing tag lives, for error messages. */
  readonly roomField: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const v2Profile: EventProfile = {
  name: 'v2',
  validate: (value) => validateV2Event(value) as ValidationResult<Record<string, unknown>>,
  roomOf: (event) => roomOfV2Event(event),
  processedField: 'processed-timestamp',
  roomField: 'affected-room.roomID',
};

const serviceEventProfile: EventProfile = {
  name: 'service-event',
  validate(value) {
    if (!isObject(value))
      return { ok: false, errors: [{ field: '', errors: ['an event must be a JSON object'] }] };
    return validateAs(ServiceEventDto, value) as ValidationResult<Record<string, unknown>>;
  },
  roomOf: (event) => (typeof event.name === 'string' && event.name ? event.name : undefined),
  processedField: 'processed_timestamp',
  roomField: 'name',
};

/** Only checks that the event is a JSON object; its room comes from the v2 place. */
const lenientV2Profile: EventProfile = {
  ...v2Profile,
  validate: (value) =>
    isObject(value)
      ? { ok: true, event: value }
      : { ok: false, errors: [{ field: '', errors: ['an event must be a JSON object'] }] },
};

export function eventProfile(
  name: EventProfileName,
  options: { lenient?: boolean } = {},
): EventProfile {
  if (name === 'service-event') return serviceEventProfile;
  return options.lenient ? lenientV2Profile : v2Profile;
}

/**
 * Stamps an accepted event: a time-ordered unique `id` (UUIDv7) unless it has one, and the
 * time the system accepted it. The original bytes are kept; the new fields are written
 * after the last field, so nothing of the sender's JSON is re-serialised.
 */
export function enrichEvent(
  bytes: Buffer,
  event: Record<string, unknown>,
  profile: EventProfile,
  now: Date = new Date(),
): Buffer {
  const fields: string[] = [];
  if (!('id' in event)) fields.push(`"id":${JSON.stringify(uuidv7({ msecs: now.getTime() }))}`);
  fields.push(`${JSON.stringify(profile.processedField)}:${JSON.stringify(now.toISOString())}`);
  const text = bytes.toString('utf8');
  const close = text.lastIndexOf('}');
  const empty = text.slice(text.indexOf('{') + 1, close).trim() === '';
  // Written last, so a stale processed time the sender put in the event is overridden.
  return Buffer.from(
    `${text.slice(0, close)}${empty ? '' : ','}${fields.join(',')}${text.slice(close)}`,
    'utf8',
  );
}

export type { FieldError };
