import 'reflect-metadata';
import {
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsString,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** Irregular past tenses a `noun:verb` event name may end with (regular ones end in -ed). */
const IRREGULAR_PAST = new Set([
  'began',
  'bought',
  'brought',
  'built',
  'came',
  'caught',
  'chose',
  'cut',
  'did',
  'done',
  'drew',
  'drove',
  'fell',
  'felt',
  'found',
  'forgot',
  'froze',
  'gave',
  'got',
  'grew',
  'had',
  'heard',
  'held',
  'hid',
  'hit',
  'kept',
  'knew',
  'laid',
  'led',
  'left',
  'lent',
  'let',
  'lost',
  'made',
  'meant',
  'met',
  'paid',
  'put',
  'quit',
  'ran',
  'read',
  'reset',
  'rode',
  'rose',
  'said',
  'sat',
  'saw',
  'sent',
  'set',
  'shut',
  'slept',
  'sold',
  'spent',
  'split',
  'spoke',
  'spun',
  'stood',
  'stole',
  'struck',
  'swept',
  'took',
  'taught',
  'thought',
  'threw',
  'told',
  'understood',
  'upset',
  'woke',
  'won',
  'wore',
  'wrote',
  'withdrew',
  'undid',
  'rebuilt',
  'resent',
  'rewrote',
  'overrode',
  'upheld',
]);

const NAME_SHAPE = /^[a-z][a-z0-9_.-]*:[a-z][a-z0-9_-]*$/i;

/** `noun:verb`, the verb in the past tense: `geofence:created`, `invoice:sent`. */
@ValidatorConstraint({ name: 'eventName' })
export class EventNameConstraint implements ValidatorConstraintInterface {
  validate(name: unknown): boolean {
    if (typeof name !== 'string' || !NAME_SHAPE.test(name)) return false;
    const verb = name.slice(name.indexOf(':') + 1).toLowerCase();
    return verb.endsWith('ed') || IRREGULAR_PAST.has(verb);
  }

  defaultMessage(): string {
    return 'name must be noun:verb with the verb in the past tense, e.g. geofence:created';
  }
}

/**
 * A service event: a service tells the system something happened. Routed with its `name`
 * as the routing tag, so services subscribe to event names as rooms.
 */
export class ServiceEventDto {
  @IsString()
  @IsNotEmpty()
  request_id!: string;

  @IsString()
  @IsNotEmpty()
  source!: string;

  @Validate(EventNameConstraint)
  name!: string;

  @IsISO8601({ strict: false }, { message: 'timestamp must be an ISO-8601 date and time' })
  timestamp!: string;

  @IsDefined({ message: 'payload is required (any JSON)' })
  payload!: unknown;

  [extra: string]: unknown;
}
