import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, uniquePrefix } from '../helpers/redis.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { XEmulator } from '../../emulators/x-emulator.js';
import { xCredentials } from '../helpers/x-harness.js';

/** Runs `layover start` with X settings pointed at the emulator, trusting its certificate via NODE_EXTRA_CA_CERTS. */
const prefixes: string[] = [];

function start(emulator: XEmulator, caFile: string, env: Record<string, string>) {
  const prefix = uniquePrefix('x-start');
  prefixes.push(prefix);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: caFile,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefix,
      ROLES: 'publisher',
      LOG_LEVEL: 'info',
      X_API_URL: emulator.url,
      X_APP_KEY: xCredentials.appKey,
      X_APP_SECRET: xCredentials.appSecret,
      X_ACCESS_TOKEN: xCredentials.accessToken,
      X_ACCESS_SECRET: xCredentials.accessSecret,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

describe('layover start with X credentials', () => {
  let emulator: XEmulator;
  let caFile: string;
  beforeAll(async () => {
    emulator = await XEmulator.start(xCredentials);
    caFile = join(mkdtempSync(join(tmpdir(), 'layover-x-')), 'ca.pem');
    writeFileSync(caFile, emulator.ca);
  });
  afterAll(async () => {
    await emulator.close();
    await Promise.all(prefixes.map(cleanupPrefix));
  });

  it('refuses to start, exit code 2, naming the settings to check, when X rejects the credentials', async () => {
    const run = start(emulator, caFile, { X_ACCESS_SECRET: 'not-the-secret' });
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(run.stderr()).toMatch(/X refused the credentials \(X answered 401 Unauthorized.*X_ACCESS_SECRET/);
    expect(run.stderr()).not.toContain('not-the-secret');
  });

  it('refuses to start, exit code 2, when the token is read-only, saying what to regenerate', async () => {
    emulator.setAccessLevel('read');
    try {
      const run = start(emulator, caFile, {});
      const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
      expect(code).toBe(2);
      expect(run.stderr()).toMatch(
        /read-only \(X answered x-access-level: read.*regenerate the Access Token/,
      );
      expect(run.stderr()).not.toContain(xCredentials.accessSecret);
    } finally {
      emulator.setAccessLevel('read-write');
    }
  });

  it('refuses X_APPROVAL=discord while no approval channel is available, rather than post unapproved', async () => {
    const run = start(emulator, caFile, { X_APPROVAL: 'discord' });
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(run.stderr()).toMatch(
      /X_APPROVAL=discord puts X drafts in the moderators' Discord channel, which needs DISCORD_TOKEN and DISCORD_MOD_CHANNEL_ID/,
    );
  });

  it('refuses X_APPROVAL=discord with a Discord token but no moderators channel, naming the missing setting', async () => {
    const run = start(emulator, caFile, {
      X_APPROVAL: 'discord',
      DISCORD_TOKEN: 'not-used-before-the-refusal',
      DISCORD_API_URL: 'http://127.0.0.1:9',
    });
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(run.stderr()).toMatch(/which needs DISCORD_MOD_CHANNEL_ID; set them, or set X_APPROVAL=off/);
  });

  it('starts with X_APPROVAL=discord when Discord and the moderators channel are configured', async () => {
    const discord = await DiscordEmulator.start();
    try {
      const modChannel = discord.addChannel().id;
      const run = start(emulator, caFile, {
        X_APPROVAL: 'discord',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.api,
        DISCORD_MOD_CHANNEL_ID: modChannel,
      });
      const exited = new Promise<number | null>((resolve) => run.child.once('exit', resolve));
      const ready = await Promise.race([
        new Promise<boolean>((resolve) => {
          run.child.stderr.on('data', () => {
            if (run.stderr().includes('ready')) resolve(true);
          });
        }),
        exited.then(() => false),
      ]);
      expect(ready, run.stderr()).toBe(true);
      run.child.kill('SIGTERM');
      await exited;
    } finally {
      await discord.close();
    }
  });

  it('verifies good credentials once and runs', async () => {
    const before = emulator.requests.length;
    const run = start(emulator, caFile, {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not get ready: ${run.stderr()}`)), 20_000);
      run.child.stderr.on('data', () => {
        if (run.stderr().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(run.stderr()).toContain('X credentials verified');
    expect(emulator.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /2/users/me 200',
    ]);
    const exited = new Promise((resolve) => run.child.once('exit', resolve));
    run.child.kill('SIGTERM');
    await exited;
  });
});
