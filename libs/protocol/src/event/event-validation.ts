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
  return validateAs(V2EventDto, value);
}

/** Deeper JSON than this is refused before validation: class-transformer recurses per level. */
export const MAX_EVENT_DEPTH = 64;

/** Validates a JSON object against a DTO class; never throws, however the input is shaped. */
export function validateAs<T extends object>(
  type: new () => T,
  value: object,
): ValidationResult<T> {
  if (depthExceeds(value, MAX_EVENT_DEPTH)) {
    return {
      ok: false,
      errors: [{ field: '', errors: [`an event may nest at most ${MAX_EVENT_DEPTH} levels deep`] }],
    };
  }
  try {
    const errors = validateSync(plainToInstance(type, value), { forbidUnknownValues: false });
    if (errors.length > 0) return { ok: false, errors: toFieldErrors(errors) };
    return { ok: true, event: value as T };
  } catch (error) {
    return {
      ok: false,
      errors: [
        { field: '', errors: [`the event could not be validated: ${(error as Error).message}`] },
      ],
    };
  }
}

/** True when `value` nests objects or arrays deeper than `limit`; iterative, so any depth is safe. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The routing tag of a v2 event: its `affected-room.roomID`, if it has one. */
export function roomOfV2Event(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const room = (event as Record<string, unknown>)['affected-room'];
  if (typeof room !== 'object' || room === null) return undefined;
  const roomID = (room as Record<string, unknown>).roomID;
  return typeof roomID === 'string' && roomID.length > 0 ? roomID : undefined;
}
