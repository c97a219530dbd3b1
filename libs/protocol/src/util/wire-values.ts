/** A whole number from 0 up that a JSON number carries exactly: a sequence, an offset, an ack. */
export function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A string of 1 to `maxLength` characters. */
export function isBoundedString(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

/** A string of 1 to `maxLength` characters that `pattern` (anchored at both ends) accepts. */
export function isBoundedToken(
  value: unknown,
  maxLength: number,
  pattern: RegExp,
): value is string {
  return isBoundedString(value, maxLength) && pattern.test(value);
}
