import { describe, expect, it } from 'vitest';
import { secretSettings, settingNames } from '../../src/env.js';
import { redactPaths } from '../../src/logger.js';

/** Settings named like secrets that are not: a public key Discord signs with is meant to be shared. */
const publicByDesign = new Set(['DISCORD_PUBLIC_KEY']);

describe('secret settings', () => {
  it('lists every setting named like a secret, so a new credential cannot slip into the logs', () => {
    const named = settingNames.filter(
      (name) => /(TOKEN|SECRET|_KEY|PASSWORD)$/.test(name) && !publicByDesign.has(name),
    );
    expect(named.length).toBeGreaterThan(5);
    const listed = new Set<string>(secretSettings);
    expect(named.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('redacts each secret setting at the top level and one and two levels down', () => {
    for (const name of secretSettings) {
      expect(redactPaths).toEqual(expect.arrayContaining([name, `*.${name}`, `*.*.${name}`]));
    }
  });
});
