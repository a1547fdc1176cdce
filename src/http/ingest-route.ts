import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { enqueueSnapshots, type SnapshotEntrance } from '../jobs/enqueue-snapshots.js';
import type { Logger } from '../logger.js';
import type { SnapshotRecord } from '../snapshots/snapshot-record.js';
import { checkSnapshot, IgnoredKeys, itemPath, snapshotRules } from '../snapshots/validate-snapshots.js';
import type { Tracking } from '../tracking/tracking.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';
import type { RouteModule } from './server.js';

export const INGEST_MAX_BYTES = 1024 * 1024;
export const INGEST_MAX_ITEMS = 1000;
/** Problems listed in one 400 answer; past this the answer says how many more there were. */
export const INGEST_MAX_LISTED_PROBLEMS = 1000;

export interface IngestRouteOptions {
  /** `INGEST_TOKEN`. Without it, do not register the route at all (the endpoint answers 404). */
  readonly token: string;
  readonly trackings: ReadonlyMap<string, Tracking>;
  /** Where accepted snapshots go (the artists' inboxes and the `snapshots` queue). */
  readonly entrance: SnapshotEntrance;
  /** `CLOCK_SKEW_SECONDS`: how far ahead of the server's clock a `capturedAt` may be. */
  readonly clockSkewSeconds: number;
  /** The server's clock (epoch ms); the system clock by default. */
  readonly now?: () => number;
  readonly logger: Logger;
  readonly maxBytes?: number;
  readonly maxItems?: number;
  readonly maxDepth?: number;
  /** Called once a batch is on the queue. */
  readonly onAccepted?: (count: number) => void;
}

/** The 202 body: how many snapshots were enqueued, and the `tracks` keys that matched nothing tracked. */
export interface IngestAccepted {
  readonly accepted: number;
  /** Each unknown key once, in the order first seen; empty when every key was known. */
  readonly ignored: readonly string[];
}

/** The error body of every refusal: one sentence, plus the problems when there are several. */
export interface IngestError {
  readonly error: string;
  readonly problems?: readonly string[];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * `POST /snapshots`. In order: 401 unless `Authorization: Bearer <INGEST_TOKEN>` (compared in
 * constant time on SHA-256 digests, before the body is read); 413 past 1 MiB or 1,000 snapshots; 400 for a body
 * that is not JSON, nests too deeply, or holds any snapshot the entrance rules refuse (bad fields, nothing
 * tracked in it, a `capturedAt` too far ahead of the clock), listing every problem by path
 * (`[3].tracks.blue: must not be negative`) with nothing enqueued; 202 `{ accepted: n, ignored: [keys] }` once
 * every snapshot is on the `snapshots` queue, the ignored keys logged in one line. Any content type is read as
 * JSON.
 */
export function ingestRoute(options: IngestRouteOptions): RouteModule {
  const expected = sha256(options.token);
  const maxBytes = options.maxBytes ?? INGEST_MAX_BYTES;
  const maxItems = options.maxItems ?? INGEST_MAX_ITEMS;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const rules = snapshotRules(options.trackings, options.clockSkewSeconds, options.now ?? Date.now);

  const authorize = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer +(\S+) *$/i.exec(header);
    const matches = timingSafeEqual(sha256(match?.[1] ?? ''), expected);
    if (match === null || !matches) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="snapshots"')
        .send({
          error:
            match === null
              ? 'missing or malformed bearer token: send Authorization: Bearer <INGEST_TOKEN>'
              : 'invalid bearer token',
        } satisfies IngestError);
    }
  };

  return async (app) => {
    await app.register((scope, _options, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => {
        done(null, body);
      });
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
          return reply
            .code(413)
            .send({ error: `body is larger than ${maxBytes} bytes` } satisfies IngestError);
        }
        const status = error.statusCode ?? 500;
        if (status >= 400 && status < 500) {
          return reply.code(status).send({ error: error.message } satisfies IngestError);
        }
        request.log.error({ err: error.message }, 'POST /snapshots failed');
        return reply.code(500).send({ error: 'internal error; nothing was enqueued' } satisfies IngestError);
      });

      scope.post('/snapshots', { bodyLimit: maxBytes, onRequest: authorize }, async (request, reply) => {
        const parsed = parseJsonBody(request.body as Buffer | undefined, maxDepth);
        if (!parsed.ok) return reply.code(400).send({ error: parsed.message } satisfies IngestError);
        const batch = Array.isArray(parsed.value);
        const items: unknown[] = batch ? (parsed.value as unknown[]) : [parsed.value];
        if (items.length === 0) {
          return reply.code(400).send({ error: 'body is an empty array: send at least one snapshot' });
        }
        if (items.length > maxItems) {
          return reply
            .code(413)
            .send({ error: `at most ${maxItems} snapshots per request; this body has ${items.length}` });
        }
        const problems: string[] = [];
        const records: SnapshotRecord[] = [];
        const ignored = new IgnoredKeys();
        let badItems = 0;
        items.forEach((item, i) => {
          const checked = checkSnapshot(item, rules);
          if (checked.ok) {
            records.push(checked.record);
            ignored.add(checked.ignoredKeys);
            return;
          }
          badItems += 1;
          for (const issue of checked.problems)
            problems.push(`${itemPath(batch ? i : null, issue.path)}: ${issue.message}`);
        });
        if (problems.length > 0) {
          const listed = problems.slice(0, INGEST_MAX_LISTED_PROBLEMS);
          if (problems.length > listed.length)
            listed.push(`… and ${problems.length - listed.length} more problems`);
          return reply.code(400).send({
            error: `${problems.length} problem(s) in ${badItems} of ${items.length} snapshot(s); nothing was enqueued`,
            problems: listed,
          } satisfies IngestError);
        }
        try {
          // The whole batch goes into the artists' inboxes first, so it is applied in capturedAt order.
          await enqueueSnapshots(options.entrance, records);
        } catch (error) {
          options.logger.error({ err: (error as Error).message }, 'POST /snapshots: could not enqueue');
          return reply.code(503).send({
            error: 'the snapshot queue is unavailable; retry later (a retried batch is not enqueued twice)',
          } satisfies IngestError);
        }
        options.onAccepted?.(items.length);
        if (ignored.size === 0) options.logger.info({ accepted: items.length }, 'POST /snapshots accepted');
        else {
          options.logger.warn(
            { accepted: items.length, ignored: ignored.list().slice(0, 100), ignoredCount: ignored.size },
            'POST /snapshots accepted; track keys that match no tracked track were ignored',
          );
        }
        return reply
          .code(202)
          .send({ accepted: items.length, ignored: ignored.list() } satisfies IngestAccepted);
      });
      done();
    });
  };
}
