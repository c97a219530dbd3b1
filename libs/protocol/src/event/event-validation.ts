import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { FieldError } from '../subscription';
import { V2EventDto } from './v2-event.dto';

export type ValidationResult<T> = { ok: true; event: T } | { ok: false; errors: FieldError[] };

/** Flattens class-validator's nested errors into `a.b.c` field paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints
      ? [{ field, errors: Object.values(error.constraints) }]
      : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * Validates a parsed v2 event. On success the event returned is the input object itself,
 * so unknown fields and the original field order survive.
 */
export function validateV2Event(value: unknown): ValidationResult<V2EventDto> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ field: '', errors: ['an event must be a JSON object'] }] };
  }
  const errors = validateSync(plainToInstance(V2EventDto, value), { forbidUnknownValues: false });
  if (errors.length > 0) return { ok: false, errors: toFieldErrors(errors) };
  return { ok: true, event: value as V2EventDto };
}

/** The routing tag of a v2 event: its `affected-room.roomID`, if it has one. */
export function roomOfV2Event(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const room = (event as Record<string, unknown>)['affected-room'];
  if (typeof room !== 'object' || room === null) return undefined;
  const roomID = (room as Record<string, unknown>).roomID;
  return typeof roomID === 'string' && roomID.length > 0 ? roomID : undefined;
}
