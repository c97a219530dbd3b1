import { ControlMessageError, FieldError } from '../subscription';
import { isBoundedToken, isNonNegativeInteger } from '../util/wire-values';

/**
 * Publish confirms (docs/protocol.md §4.4). A messenger opts in on a connection with
 * `{"confirm":{"publisher":"p","next":S}}`: its event frames on that socket are then numbered
 * S, S+1, … over the publisher's whole life. The hub answers `{"confirm":{"publisher":"p","taken":T}}`
 * (it drops the frames numbered up to T as resends), then reports `{"refused":{…}}` for each
 * event it refuses and, cumulatively, `{"confirmed":N}` once every event up to N is settled.
 */
export interface ConfirmRequest {
  publisher: string;
  /** The sequence number of the next event frame the client sends on this connection. */
  next: number;
}

/** The hub's answer to a confirm request: the highest sequence of the publisher it has taken. */
export interface ConfirmReply {
  publisher: string;
  taken: number;
}

/** An event the hub did not take, and why; `reason` is a short, stable token. */
export interface Refusal {
  seq: number;
  reason: string;
  message: string;
}

/** What the hub tells a publisher that asked for confirms. */
export type HubConfirmMessage =
  | ({ type: 'confirm' } & ConfirmReply)
  | { type: 'confirmed'; confirmed: number }
  | ({ type: 'refused' } & Refusal);

export const MAX_PUBLISHER_LENGTH = 128;
const PUBLISHER_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** A publisher id is 1..128 characters of `A-Z a-z 0-9 . _ : -`. */
export function isValidPublisher(value: unknown): value is string {
  return isBoundedToken(value, MAX_PUBLISHER_LENGTH, PUBLISHER_PATTERN);
}

export function encodeConfirmRequest(request: ConfirmRequest): string {
  return JSON.stringify({ confirm: { publisher: request.publisher, next: request.next } });
}

export function encodeConfirmReply(reply: ConfirmReply): string {
  return JSON.stringify({ confirm: { publisher: reply.publisher, taken: reply.taken } });
}

export function encodeConfirmed(confirmed: number): string {
  return `{"confirmed":${confirmed}}`;
}

export function encodeRefused(refusal: Refusal): string {
  const { seq, reason, message } = refusal;
  return JSON.stringify({ refused: { seq, reason, message } });
}

/**
 * Reads a messenger's text frame as a confirm request. Undefined when the frame is not one
 * (no `confirm` key: a subscription or an ack); throws ControlMessageError when it is one
 * but malformed.
 */
export function parseConfirmRequest(text: string | Buffer): ConfirmRequest | undefined {
  const value = parseObject(text);
  if (value === undefined || !('confirm' in value)) return undefined;
  const body = value.confirm;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ControlMessageError('invalid confirm message', [
      { field: 'confirm', errors: ['confirm must be an object with publisher and next'] },
    ]);
  const { publisher, next } = body as Record<string, unknown>;
  const details: FieldError[] = [];
  if (!isValidPublisher(publisher))
    details.push({
      field: 'confirm.publisher',
      errors: [`publisher must be 1 to ${MAX_PUBLISHER_LENGTH} characters of A-Z a-z 0-9 . _ : -`],
    });
  if (!isNonNegativeInteger(next) || next < 1)
    details.push({ field: 'confirm.next', errors: ['next must be a positive integer'] });
  if (details.length > 0) throw new ControlMessageError('invalid confirm message', details);
  return { publisher: publisher as string, next: next as number };
}

/**
 * Reads a hub's text frame as one of the confirm messages; undefined for any other frame
 * (errors, anything a later hub may add) or a malformed one.
 */
export function parseHubConfirmMessage(text: string): HubConfirmMessage | undefined {
  const value = parseObject(text);
  if (value === undefined) return undefined;
  if ('confirmed' in value)
    return isNonNegativeInteger(value.confirmed)
      ? { type: 'confirmed', confirmed: value.confirmed }
      : undefined;
  if ('refused' in value) return refusalOf(value.refused);
  if ('confirm' in value) return replyOf(value.confirm);
  return undefined;
}

function refusalOf(body: unknown): HubConfirmMessage | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { seq, reason, message } = body as Record<string, unknown>;
  if (!isNonNegativeInteger(seq) || typeof reason !== 'string') return undefined;
  return { type: 'refused', seq, reason, message: typeof message === 'string' ? message : '' };
}

function replyOf(body: unknown): HubConfirmMessage | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { publisher, taken } = body as Record<string, unknown>;
  if (!isValidPublisher(publisher) || !isNonNegativeInteger(taken)) return undefined;
  return { type: 'confirm', publisher, taken };
}

function parseObject(text: string | Buffer): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}
