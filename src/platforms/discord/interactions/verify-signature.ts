import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** How far `X-Signature-Timestamp` may be from now, seconds. Older (or future) requests are refused as replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte raw key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Turns the developer portal's hex public key into a key object, once. */
export function interactionPublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('DISCORD_PUBLIC_KEY must be 32 bytes of hex');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export interface SignedRequest {
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  /** The body exactly as received: the signature covers these bytes. */
  readonly rawBody: Buffer;
}

/**
 * Discord signs `timestamp + body` with Ed25519. True only for a well-formed signature by `key` over exactly these
 * bytes, with a timestamp within {@link MAX_SIGNATURE_AGE_SECONDS} of `nowMs`.
 */
export function verifyInteractionSignature(
  key: KeyObject,
  request: SignedRequest,
  nowMs = Date.now(),
): boolean {
  const { signature, timestamp, rawBody } = request;
  if (signature === undefined || timestamp === undefined) return false;
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return false;
  try {
    return verify(
      null,
      Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]),
      key,
      Buffer.from(signature, 'hex'),
    );
  } catch {
    return false;
  }
}
