import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { xCredentials, XHarness } from '../helpers/x-harness.js';

/** `layover start` as a second publisher process on the harness's prefix and emulator (its CA via a file). */
async function startPublisherProcess(h: XHarness): Promise<ChildProcess> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'layover-x-')), 'ca.pem');
  writeFileSync(caFile, h.emulator.ca);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: caFile,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: h.prefix,
      ROLES: 'publisher',
      PUBLISH_CONCURRENCY: '4',
      LOG_LEVEL: 'info',
      X_API_URL: h.emulator.url,
      X_APP_KEY: xCredentials.appKey,
      X_APP_SECRET: xCredentials.appSecret,
      X_ACCESS_TOKEN: xCredentials.accessToken,
      X_ACCESS_SECRET: xCredentials.accessSecret,
      X_COMBINE_WINDOW_SECONDS: '0',
      X_TIMEOUT_MS: '500',
      // The harness's history is from 2023: no age limit, or every post would be skipped as stale data.
      ANNOUNCE_MAX_AGE_HOURS: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`publisher process exited (${code}): ${stderr}`)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('ready')) resolve(child);
    });
  });
}

describe('X publisher against the HTTPS emulator: failures', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('posts each milestone exactly once through a 429, a 503, a timeout and lost responses, each with its post id', async () => {
    harness = await XHarness.start();
    const h = harness;
    h.emulator.fail({ kind: 'rateLimit', resetAt: Math.ceil(Date.now() / 1000) + 1 });
    h.emulator.fail({ kind: 'unavailable' });
    h.emulator.fail({ kind: 'hang' });
    h.emulator.fail({ kind: 'acceptThenDrop' });
    h.emulator.fail({ kind: 'acceptThenFail' });
    const milestones = await h.announce();
    expect(milestones).toHaveLength(10);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    expect(h.emulator.posts).toHaveLength(10);
    // The posts whose answers were lost were found on X before any retry, and their ids adopted.
    for (const entry of entries.values()) {
      expect(entry.state === 'sent' && entry.duplicate !== true && entry.platformId !== '').toBe(true);
    }
    expect(h.emulator.requestsTo('GET', /^\/2\/users\/4242\/tweets\?/).length).toBeGreaterThanOrEqual(2);
    const statuses = h.emulator.requests.filter((r) => r.path === '/2/tweets').map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining([429, 503, 0]));
  });

  it('two processes publishing to one account still post each milestone exactly once', async () => {
    harness = await XHarness.start();
    const h = harness;
    const child = await startPublisherProcess(h);
    try {
      h.emulator.fail({ kind: 'unavailable' });
      h.emulator.fail({ kind: 'acceptThenDrop' });
      h.emulator.fail({ kind: 'hang' });
      h.emulator.fail({ kind: 'acceptThenDrop' });
      const milestones = await h.announce();
      const entries = await h.settled(milestones, 25_000);
      h.expectPostedExactlyOnce(entries);
      expect(h.emulator.posts).toHaveLength(10);
      expect(h.emulator.requests.filter((r) => r.path === '/2/users/me')).toHaveLength(2);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('records a duplicate-content 403 as already posted, matched on its detail', async () => {
    harness = await XHarness.start();
    const h = harness;
    h.emulator.fail({ kind: 'duplicate' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    const duplicates = [...entries.values()].filter((e) => e.state === 'sent' && e.duplicate === true);
    expect(duplicates).toHaveLength(1);
    expect(h.emulator.posts).toHaveLength(9);
    expect([...entries.values()].every((e) => e.state === 'sent')).toBe(true);
  });

  it('records a 400 as failed with X’s specifics from errors[], and logs them', async () => {
    const lines: string[] = [];
    harness = await XHarness.start({
      logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
      publishConcurrency: 1,
    });
    const h = harness;
    h.emulator.fail({ kind: 'invalid' });
    const milestones = await h.announce();
    const entries = [...(await h.settled(milestones)).values()];
    const failed = entries.filter((e) => e.state === 'failed');
    expect(failed).toHaveLength(1);
    const specifics =
      /X answered 400: One or more parameters to your request was invalid\. \(\$\.text: this text is not accepted/;
    expect(failed[0]?.state === 'failed' ? failed[0].reason : '').toMatch(specifics);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; reason?: string });
    expect(logged.some((l) => l.msg === 'X refused the post' && specifics.test(l.reason ?? ''))).toBe(true);
    expect(entries.filter((e) => e.state === 'sent')).toHaveLength(9);
  });
});
