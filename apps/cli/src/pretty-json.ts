/*
 * JSON for a person: indented, optionally coloured, written from the event's own text so
 * that numbers keep every digit (JSON.parse would round 12345678901234567890).
 */

/** ANSI colours of the parts of a JSON document. */
const COLOURS = {
  key: 36, // cyan
  string: 32, // green
  number: 33, // yellow
  literal: 35, // magenta: true, false, null
  time: 2, // dim
  room: 1, // bold
} as const;

export type Part = keyof typeof COLOURS;

/** Paints `text` as `part` when colour is on. */
export function paint(text: string, part: Part, colour: boolean): string {
  if (!colour) return text;
  const reset = part === 'time' || part === 'room' ? 22 : 39;
  return `\u001b[${COLOURS[part]}m${text}\u001b[${reset}m`;
}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,])/y;

/**
 * Re-indents valid JSON text (2 spaces), colouring keys, strings, numbers and literals.
 * The text must already be known to be valid JSON.
 */
export function prettyJson(json: string, colour: boolean): string {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(json); match; match = TOKEN.exec(json)) tokens.push(match[1]);
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token === '{' || token === '[') {
      const close = token === '{' ? '}' : ']';
      if (next === close) {
        out += token + close;
        i++;
        continue;
      }
      depth++;
      out += token + newline();
    } else if (token === '}' || token === ']') {
      depth--;
      out += newline() + token;
    } else if (token === ',') out += `,${newline()}`;
    else if (token === ':') out += ': ';
    else if (token.startsWith('"')) out += paint(token, next === ':' ? 'key' : 'string', colour);
    else if (/^[-\d]/.test(token)) out += paint(token, 'number', colour);
    else out += paint(token, 'literal', colour);
  }
  return out;
}

/** `11:26:54.371` in local time: when `ces sub` received an event. */
export function clockTime(date: Date): string {
  const two = (n: number) => `${n}`.padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${`${date.getMilliseconds()}`.padStart(3, '0')}`;
}

/** One event as `ces sub` shows it in a terminal: the time and room, then the event indented. */
export function prettyEvent(room: string, json: string, received: Date, colour: boolean): string {
  const header = `${paint(clockTime(received), 'time', colour)} ${paint(room, 'room', colour)}`;
  return `${header}\n${prettyJson(json, colour)}\n`;
}
