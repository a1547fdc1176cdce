import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { ingestRoute, type IngestError } from '../../src/http/ingest-route.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { malformedCases, VALID_TOKEN, validSnapshot } from '../helpers/malformed-snapshots.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
const logger = createLogger('silent');

async function serverFor(prefix: string, token: string | undefined) {
  const connection = testRedis();
  const queue: SnapshotQueue = new Queue(snapshotsQueue.name, { connection, prefix });
  const entrance = { artistState: new ArtistStateStore(connection, stateKeys(prefix)), queue };
  const app = await createHttpServer({
    logger,
    routes:
      token === undefined ? [] : [ingestRoute({ token, trackings, clockSkewSeconds: 600, entrance, logger })],
  });
  return { queue, app };
}

function post(
  app: FastifyInstance,
  body: string | Buffer,
  auth: string | undefined,
  contentType = 'application/json',
) {
  return app.inject({
    method: 'POST',
    url: '/snapshots',
    headers: { 'content-type': contentType, ...(auth === undefined ? {} : { authorization: auth }) },
    payload: body,
  });
}

async function queueTotal(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('POST /snapshots with malformed requests', () => {
  const prefix = uniquePrefix('ingest-bad');
  const redis = testRedis();
  let app: FastifyInstance;
  let queue: SnapshotQueue;

  beforeAll(async () => {
    ({ app, queue } = await serverFor(prefix, VALID_TOKEN));
  });

  afterAll(async () => {
    await app.close();
    await queue.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('answers each of at least 200 malformed bodies with the right status and a clear message, touching nothing', async () => {
    await queue.waitUntilReady();
    await queueTotal(queue);
    const keysBefore = (await redis.keys(`${prefix}:*`)).sort();
    const cases = malformedCases(20231011);
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const wrong: string[] = [];
    for (const c of cases) {
      const auth = c.auth === 'valid' ? `Bearer ${VALID_TOKEN}` : c.auth;
      const response = await post(app, c.body, auth);
      const answer = response.json<IngestError>();
      const texts = [answer.error, ...(answer.problems ?? [])];
      if (response.statusCode !== c.status || !texts.some((t) => c.expect.test(t))) {
        wrong.push(`${c.name}: ${response.statusCode} ${JSON.stringify(answer).slice(0, 300)}`);
      }
      if (c.status === 401 && response.headers['www-authenticate'] !== 'Bearer realm="snapshots"') {
        wrong.push(`${c.name}: no WWW-Authenticate header`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await queueTotal(queue)).toBe(0);
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual(keysBefore);
    expect(await redis.keys(`${prefix}:artist:*`)).toEqual([]);
  });

  it('lists every problem of a batch, each with its item path, in one answer', async () => {
    const batch = [validSnapshot(1), validSnapshot(2), validSnapshot(3), validSnapshot(4)];
    (batch[1]!.tracks as Record<string, unknown>).blue = -3;
    batch[1]!.followers = 1.5;
    (batch[3]!.tracks as Record<string, unknown>).blue = -4;
    delete batch[3]!.capturedAt;
    const response = await post(app, JSON.stringify(batch), `Bearer ${VALID_TOKEN}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: '4 problem(s) in 2 of 4 snapshot(s); nothing was enqueued',
      problems: [
        '[1].tracks.blue: must not be negative',
        '[1].followers: must be a whole number',
        '[3].capturedAt: Invalid input: expected string, received undefined',
        '[3].tracks.blue: must not be negative',
      ],
    });
    expect(await queueTotal(queue)).toBe(0);
  });
});

describe('POST /snapshots with good requests', () => {
  const prefix = uniquePrefix('ingest-good');
  let app: FastifyInstance;
  let queue: SnapshotQueue;

  beforeAll(async () => {
    ({ app, queue } = await serverFor(prefix, VALID_TOKEN));
  });

  afterAll(async () => {
    await app.close();
    await queue.close();
    await cleanupPrefix(prefix);
  });

  it('accepts one snapshot with 202 once it is on the queue, whatever the content type and bearer case', async () => {
    const response = await post(app, JSON.stringify(validSnapshot()), `bearer ${VALID_TOKEN}`, 'text/plain');
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 1, ignored: [] });
    const [job] = await queue.getWaiting();
    // Admitted: the artist resolved and every track key mapped to its track id, once, at the entrance.
    expect(job?.data.snapshot).toEqual({
      artistId: 'v',
      capturedAt: '2023-10-11T23:00:00+09:00',
      at: Date.parse('2023-10-11T23:00:00+09:00'),
      source: 'fuzz',
      tracks: { 'rainy-days': 90_000_000, blue: 55_000_000 },
      artistStreams: 1_480_312_977,
      followers: 15_720_000,
    });
    // And it waits in the artist's inbox, for the first of its batch's jobs to drain.
    expect((await new ArtistStateStore(testRedis(), stateKeys(prefix)).view('v')).waiting).toBe(1);
  });

  it('accepts a batch of 1000 and enqueues each once, even when the client retries it', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      capturedAt: new Date(Date.parse('2024-01-01T00:00:00Z') + i * 3_600_000).toISOString(),
      tracks: { blue: 60_000_000 + i },
    }));
    const before = await queue.getWaitingCount();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await post(app, JSON.stringify(batch), `Bearer ${VALID_TOKEN}`);
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ accepted: 1000, ignored: [] });
    }
    expect((await queue.getWaitingCount()) - before).toBe(1000);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const text = JSON.stringify(validSnapshot(20));
    const response = await post(app, text + ' '.repeat(1024 * 1024 - text.length), `Bearer ${VALID_TOKEN}`);
    expect(response.statusCode).toBe(202);
  });
});

describe('POST /snapshots over a real socket', () => {
  const prefix = uniquePrefix('ingest-socket');

  it('refuses a chunked body (no Content-Length) once it passes 1 MiB, and enqueues nothing', async () => {
    const { app, queue } = await serverFor(prefix, VALID_TOKEN);
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/snapshots',
            headers: { authorization: `Bearer ${VALID_TOKEN}`, 'transfer-encoding': 'chunked' },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        const chunk = `[${Array.from({ length: 100 }, () => JSON.stringify(validSnapshot())).join(',')},`;
        for (let sent = 0; sent <= 1024 * 1024; sent += chunk.length) req.write(chunk);
        req.end('0]');
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ error: 'body is larger than 1048576 bytes' });
      expect(await queueTotal(queue)).toBe(0);
    } finally {
      await app.close();
      await queue.close();
      await cleanupPrefix(prefix);
    }
  });
});

describe('POST /snapshots without INGEST_TOKEN', () => {
  const prefix = uniquePrefix('ingest-off');

  it('does not exist (404) and enqueues nothing', async () => {
    const { app, queue } = await serverFor(prefix, undefined);
    try {
      const response = await post(app, JSON.stringify(validSnapshot()), 'Bearer anything');
      expect(response.statusCode).toBe(404);
      expect(await queueTotal(queue)).toBe(0);
    } finally {
      await app.close();
      await queue.close();
      await cleanupPrefix(prefix);
    }
  });
});
