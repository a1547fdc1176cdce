import { describe, expect, it } from 'vitest';
import { hashTagOf, keySlot } from '../../src/redis-key-slot.js';

describe('Redis Cluster key slots', () => {
  it('finds the hash tag as Redis does: the first {…} after the first {, when not empty', () => {
    expect(hashTagOf('{layover}:artist:v:state')).toBe('layover');
    expect(hashTagOf('prefix-{a}-{b}')).toBe('a');
    expect(hashTagOf('a}{b}')).toBe('b');
    expect(hashTagOf('{layover')).toBeNull();
    expect(hashTagOf('{}layover')).toBeNull();
    expect(hashTagOf('{}{layover}')).toBeNull();
    expect(hashTagOf('layover')).toBeNull();
  });

  it('computes CRC16 mod 16384 (the cluster spec gives 0x31C3 for "123456789")', () => {
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('héllo')).toBe(11061);
  });

  it('gives every key under a {…} prefix the slot of the tag alone', () => {
    const slot = keySlot('layover');
    for (const key of ['{layover}:snapshots:wait', '{layover}:ledger:m1', '{layover}:x:acct:group:{g1}']) {
      expect(keySlot(key)).toBe(slot);
    }
    expect(keySlot('layover:snapshots:wait')).not.toBe(keySlot('layover:ledger:m1'));
  });
});
