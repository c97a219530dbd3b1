import { assertValidRoom } from '@ces/protocol';
import { badInput } from './cli-error';

/** A room the hub can route, or a bad-input error naming what is wrong with it. */
export function checkRoom(room: string): string {
  try {
    assertValidRoom(room);
  } catch (error) {
    throw badInput(`invalid room ${JSON.stringify(room)}: ${(error as Error).message}`);
  }
  return room;
}

/**
 * An event given as JSON text: checked, then sent as the text itself (trimmed), so what
 * arrives is byte for byte what was given (large numbers keep their digits).
 */
export function checkJson(json: string, where: string): string {
  const trimmed = json.trim();
  try {
    JSON.parse(trimmed);
  } catch (error) {
    throw badInput(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  return trimmed;
}

/** What a JSON value is, in words, for a message: `an array`, `a string`, `null`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * An event given as JSON text, which must be a JSON object (every CES event is one: the
 * hub's peers and the original messenger decode events as objects). Sent as given.
 */
export function checkEvent(json: string, where: string): string {
  const trimmed = checkJson(json, where);
  const value = JSON.parse(trimmed) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badInput(`${where} must be a JSON object, not ${kindOf(value)}: ${trimmed.slice(0, 60)}`);
  return trimmed;
}
