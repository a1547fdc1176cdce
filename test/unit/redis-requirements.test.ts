import { describe, expect, it } from 'vitest';
import { compareVersions, parseInfo } from '../../src/ops/redis-requirements.js';

describe('Redis requirement helpers', () => {
  it('orders versions numerically, not as text', () => {
    expect(compareVersions('6.2.0', '6.2.0')).toBe(0);
    expect(compareVersions('6.10.1', '6.2.0')).toBeGreaterThan(0);
    expect(compareVersions('6.0.16', '6.2.0')).toBeLessThan(0);
    expect(compareVersions('7.0', '6.2.0')).toBeGreaterThan(0);
  });

  it('reads key:value lines of INFO and skips section headers', () => {
    const info = parseInfo('# Memory\r\nused_memory:123\r\nmaxmemory_policy:allkeys-lru\r\n\r\n');
    expect(info.get('maxmemory_policy')).toBe('allkeys-lru');
    expect(info.get('used_memory')).toBe('123');
    expect(info.has('# Memory')).toBe(false);
  });
});
