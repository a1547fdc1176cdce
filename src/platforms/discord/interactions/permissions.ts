/** Discord sends permission bitfields as decimal strings; the longest valid one is far below 64 digits. */
const DECIMAL_BITFIELD = /^[0-9]{1,64}$/;

/**
 * A permission bitfield exactly as Discord sends it: decimal digits only. Anything else (`"-1"`, `"0x20"`,
 * `" 32 "`, `"1e3"`, a number, missing) is null, which every caller treats as "no permissions".
 */
export function parsePermissions(value: unknown): bigint | null {
  if (typeof value !== 'string' || !DECIMAL_BITFIELD.test(value)) return null;
  return BigInt(value);
}

/** Whether `permissions` (a bitfield string as Discord sends it) holds any of `bits`; false when malformed. */
export function hasAnyPermission(value: unknown, bits: bigint): boolean {
  const permissions = parsePermissions(value);
  return permissions !== null && (permissions & bits) !== 0n;
}
