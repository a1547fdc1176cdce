import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/env.js';

describe('settings', () => {
  it('defaults every setting CONTRACT §5 gives a default for', () => {
    const s = loadSettings({});
    expect(s.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(s.QUEUE_PREFIX).toBe('layover');
    expect(s.trackingConfigPaths).toEqual(['config/layover.json']);
    expect(s.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(s.X_API_URL).toBe('https://api.x.com');
    expect(s.HTTP_PORT).toBe(3000);
    expect(s.ROLES).toEqual(['worker', 'publisher', 'bot', 'http', 'poller']);
    expect(s.discordEnabled).toBe(false);
    expect(s.xEnabled).toBe(false);
    expect(s.redisUrlExplicit).toBe(false);
  });

  it('treats empty strings as unset', () => {
    const s = loadSettings({ DISCORD_TOKEN: '', HTTP_PORT: '', REDIS_URL: '' });
    expect(s.discordEnabled).toBe(false);
    expect(s.HTTP_PORT).toBe(3000);
    expect(s.redisUrlExplicit).toBe(false);
  });

  it('splits several tracking configs and roles', () => {
    const s = loadSettings({ TRACKING_CONFIG: 'a.json, b.json', ROLES: 'worker,http' });
    expect(s.trackingConfigPaths).toEqual(['a.json', 'b.json']);
    expect(s.ROLES).toEqual(['worker', 'http']);
  });

  it('lists every problem at once, naming each setting and never echoing a value', () => {
    let error: unknown;
    try {
      loadSettings({
        REDIS_URL: 'http://secret-host',
        HTTP_PORT: '99999',
        ROLES: 'worker,cook',
        DISCORD_PUBLIC_KEY: 'not-hex-secret',
        DISCORD_MOD_CHANNEL_ID: '#mods-secret',
        X_APP_KEY: 'only-one-secret',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining([
        'REDIS_URL',
        'HTTP_PORT',
        'ROLES.1',
        'DISCORD_PUBLIC_KEY',
        'DISCORD_MOD_CHANNEL_ID',
        'X_APP_KEY',
      ]),
    );
    expect((error as Error).message).not.toMatch(/secret/);
  });
});
