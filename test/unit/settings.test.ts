import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/env.js';

describe('settings', () => {
  it('defaults every setting .env.example gives a default for', () => {
    const s = loadSettings({});
    expect(s.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(s.QUEUE_PREFIX).toBe('layover');
    expect(s.trackingConfigPaths).toEqual(['config/layover.json']);
    expect(s.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(s.X_API_URL).toBe('https://api.x.com');
    expect(s.HTTP_PORT).toBe(3000);
    expect(s.ROLES).toEqual(['worker', 'publisher', 'bot', 'http', 'poller']);
    expect(s.xEnabled).toBe(false);
    expect(s.redisUrlExplicit).toBe(false);
  });

  it('takes Spotify credentials in pairs, with the API where Spotify has it, and keeps 20 raw fetches by default', () => {
    const s = loadSettings({});
    expect(s.SPOTIFY_TOKEN_URL).toBe('https://accounts.spotify.com/api/token');
    expect(s.SPOTIFY_API_URL).toBe('https://api.spotify.com/v1');
    expect(s.SOURCES_RAW_DIR).toBe('var/sources-raw');
    expect(s.SOURCES_RAW_KEEP).toBe(20);
    let error: unknown;
    try {
      loadSettings({ SPOTIFY_CLIENT_SECRET: 'lonely-secret', SOURCES_RAW_KEEP: '-1' });
    } catch (e) {
      error = e;
    }
    expect((error as SettingsError).problems).toEqual([
      expect.stringMatching(/^SOURCES_RAW_KEEP: /),
      'SPOTIFY_CLIENT_ID: the Spotify source needs both client credentials; missing SPOTIFY_CLIENT_ID',
    ]);
    expect((error as Error).message).not.toMatch(/lonely-secret/);
  });

  it('draws status charts in one worker thread by default; CHART_WORKERS=0 draws them on the main thread', () => {
    expect(loadSettings({}).CHART_WORKERS).toBe(1);
    expect(loadSettings({ CHART_WORKERS: '0' }).CHART_WORKERS).toBe(0);
    expect(loadSettings({ CHART_WORKERS: '4' }).CHART_WORKERS).toBe(4);
    for (const bad of ['-1', '1.5', '17', 'two']) {
      expect(() => loadSettings({ CHART_WORKERS: bad })).toThrow(/CHART_WORKERS: must be/);
    }
  });

  it('treats empty strings as unset', () => {
    const s = loadSettings({ DISCORD_TOKEN: '', HTTP_PORT: '', REDIS_URL: '' });
    expect(s.DISCORD_TOKEN).toBeUndefined();
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

  it('reads REDIS_CLUSTER as true, false, 1 or 0 (default false), and refuses anything else', () => {
    expect(loadSettings({}).REDIS_CLUSTER).toBe(false);
    expect(loadSettings({ REDIS_CLUSTER: '' }).REDIS_CLUSTER).toBe(false);
    for (const [word, value] of [
      ['true', true],
      ['1', true],
      ['TRUE', true],
      ['false', false],
      ['0', false],
    ] as const) {
      expect(loadSettings({ REDIS_CLUSTER: word, QUEUE_PREFIX: '{layover}' }).REDIS_CLUSTER).toBe(value);
    }
    for (const word of ['yes', 'on', '2', 'cluster']) {
      expect(() => loadSettings({ REDIS_CLUSTER: word })).toThrow(
        /REDIS_CLUSTER: must be true, false, 1 or 0/,
      );
    }
  });

  it('on a cluster, takes comma-separated seed URLs and wants a {…} hash tag in QUEUE_PREFIX', () => {
    const s = loadSettings({
      REDIS_CLUSTER: 'true',
      REDIS_URL: 'redis://u:pw@10.0.0.1:7000,redis://u:pw@10.0.0.2:7000',
      QUEUE_PREFIX: '{layover}',
    });
    expect(s.REDIS_URL).toBe('redis://u:pw@10.0.0.1:7000,redis://u:pw@10.0.0.2:7000');
    expect(loadSettings({ REDIS_CLUSTER: 'true', QUEUE_PREFIX: 'bot-{v}' }).QUEUE_PREFIX).toBe('bot-{v}');
    for (const prefix of [undefined, 'layover', '{}', '{layover', 'layover}']) {
      expect(() => loadSettings({ REDIS_CLUSTER: 'true', QUEUE_PREFIX: prefix })).toThrow(
        /QUEUE_PREFIX: with REDIS_CLUSTER=true it must contain a non-empty \{…\} hash tag.*CROSSSLOT/,
      );
    }
  });

  it('refuses several URLs without REDIS_CLUSTER and unusable seeds with it, never echoing a password', () => {
    expect(() => loadSettings({ REDIS_URL: 'redis://:pw-secret@a:7000,redis://:pw-secret@b:7000' })).toThrow(
      /REDIS_URL: several comma-separated URLs are seed nodes of a Redis Cluster; set REDIS_CLUSTER=true/,
    );
    let error: unknown;
    try {
      loadSettings({
        REDIS_CLUSTER: 'true',
        QUEUE_PREFIX: '{layover}',
        REDIS_URL: 'redis://:pw-secret@a:7000,redis://:other-secret@b:7000/3',
      });
    } catch (e) {
      error = e;
    }
    expect((error as SettingsError).problems).toEqual([
      'REDIS_URL: the seeds must carry the same username and password (every node is reached with them)',
      'REDIS_URL: Redis Cluster has only database 0: remove the /<number> from the URL',
    ]);
    expect((error as Error).message).not.toMatch(/secret/);
    expect(() => loadSettings({ REDIS_CLUSTER: 'true', REDIS_URL: 'redis://a,http://b' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });
});
