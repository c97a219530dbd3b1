/**
 * Rooms as NATS subject tokens, and back. A token cannot hold `.` (the separator), `*` and
 * `>` (wildcards) or whitespace, and cannot be empty; each such character, and the escape
 * character `%` itself, becomes `%` and four hex digits of its UTF-16 code unit, so the
 * mapping is one to one: every room has exactly one token and every token one room. Other
 * characters pass through, so a plain room reads the same in NATS's monitoring.
 */
const ESCAPE = '%';
/** What NATS subjects cannot hold in a token, what the client refuses, and our escape. */
// Control characters are escaped on purpose: NATS's protocol line must not carry them.
/* eslint-disable no-control-regex */
const NEEDS_ESCAPE = /[.*>%\s\u0000-\u001f\u007f]/g;
const ONE_NEEDS_ESCAPE = /^[.*>%\s\u0000-\u001f\u007f]$/;
/* eslint-enable no-control-regex */
/** The empty room (which the wire does not carry, but the mapping stays total). */
const EMPTY_TOKEN = '%';

export function roomToToken(room: string): string {
  if (room.length === 0) return EMPTY_TOKEN;
  return room.replace(NEEDS_ESCAPE, escapeChar);
}

/** The room of a token made by {@link roomToToken}; undefined for a token it never makes. */
export function tokenToRoom(token: string): string | undefined {
  if (token === EMPTY_TOKEN) return '';
  let room = '';
  for (let i = 0; i < token.length; i++) {
    const char = token[i];
    if (char !== ESCAPE) {
      if (needsEscape(char)) return undefined;
      room += char;
      continue;
    }
    const hex = token.slice(i + 1, i + 5);
    if (!/^[0-9a-f]{4}$/.test(hex)) return undefined;
    const decoded = String.fromCharCode(parseInt(hex, 16));
    if (!needsEscape(decoded)) return undefined;
    room += decoded;
    i += 4;
  }
  return room;
}

function escapeChar(char: string): string {
  return ESCAPE + char.charCodeAt(0).toString(16).padStart(4, '0');
}

function needsEscape(char: string): boolean {
  return ONE_NEEDS_ESCAPE.test(char);
}
