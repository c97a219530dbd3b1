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
