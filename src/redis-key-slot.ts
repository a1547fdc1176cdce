/** Redis Cluster's number of hash slots. */
export const CLUSTER_SLOTS = 16_384;

/**
 * The hash tag Redis Cluster hashes instead of the whole key: the text between the first `{` and the first `}`
 * after it, when that text is not empty; otherwise null (the whole key is hashed). Keys that share a non-empty
 * hash tag share a slot, so one Lua script or MULTI may use them all.
 */
export function hashTagOf(key: string): string | null {
  const open = key.indexOf('{');
  if (open === -1) return null;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return null;
  return key.slice(open + 1, close);
}

/** CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum Redis Cluster uses for key slots. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

const utf8 = new TextEncoder();

/** The cluster slot of a key (what `CLUSTER KEYSLOT` answers), computed here without a round trip. */
export function keySlot(key: string): number {
  return crc16(utf8.encode(hashTagOf(key) ?? key)) % CLUSTER_SLOTS;
}
