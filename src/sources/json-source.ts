import { normalizeSnapshot } from '../snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../snapshots/schema.js';
import { itemPath, snapshotIssues } from '../snapshots/validate-snapshots.js';
import type { Logger } from '../logger.js';
import type { Tracking } from '../tracking/tracking.js';
import { decodeUtf8, type PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import { jobIdSafe, SourceError, type Source, type SourceCheck, type SourceReading } from './source.js';

/**
 * Reads an answer of snapshots (docs/configuration.md) (one object or an array) into readings. All or nothing: any bad
 * snapshot throws a {@link SourceError} listing every problem (`[i].json.path: message`).
 */
export function jsonReadings(
  text: string,
  trackings: ReadonlyMap<string, Tracking>,
  url: string,
  sourceName: string,
): SourceReading[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SourceError(`${url}: answer is not JSON (${(error as Error).message})`, true);
  }
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  if (items.length === 0) throw new SourceError(`${url}: answer is an empty array`, true);
  const problems: string[] = [];
  const readings: SourceReading[] = [];
  items.forEach((item, i) => {
    const issues = snapshotIssues(item, trackings);
    if (issues.length > 0) {
      for (const p of issues)
        problems.push(`${itemPath(Array.isArray(value) ? i : null, p.path)}: ${p.message}`);
      return;
    }
    const parsed = snapshotSchema.parse(item);
    const normalized = normalizeSnapshot(parsed, trackings);
    if (!normalized.ok) return;
    const { artistId, capturedAtMs } = normalized.snapshot;
    readings.push({
      snapshot: { ...parsed, artist: artistId, source: parsed.source ?? sourceName },
      artistId,
      dataKey: jobIdSafe(new Date(capturedAtMs).toISOString()),
      capturedAtMs,
    });
  });
  if (problems.length > 0) {
    throw new SourceError(
      `${url}: ${problems.length} problem(s), nothing taken: ${problems.join('; ')}`,
      true,
    );
  }
  return readings;
}

export interface JsonSourceOptions {
  readonly id: string;
  readonly url: string;
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly http: PoliteHttpClient;
  /** Where raw answers are kept (none kept without it). */
  readonly archive?: RawArchive;
  readonly logger?: Logger;
}

/** Polls any URL that answers with snapshot(s) as JSON (docs/configuration.md) (a fan scraper, a spreadsheet export). */
export class JsonSource implements Source {
  readonly kind = 'json';
  readonly id: string;
  readonly url: string;

  constructor(private readonly options: JsonSourceOptions) {
    this.id = options.id;
    this.url = options.url;
  }

  async fetch(): Promise<SourceReading[]> {
    return (await this.check()).readings;
  }

  async check(): Promise<SourceCheck> {
    const answer = await this.options.http.get(this.url, 'application/json');
    const kept = await this.options.archive?.keep({
      sourceId: this.id,
      fetchedAtMs: Date.now(),
      status: answer.status,
      ext: 'json',
      body: answer.body,
    });
    if (kept !== undefined && 'error' in kept)
      this.options.logger?.warn({ source: this.id, err: kept.error }, 'could not keep the raw answer');
    if (answer.status < 200 || answer.status > 299)
      throw new SourceError(`${this.url}: HTTP ${answer.status}`);
    const readings = jsonReadings(decodeUtf8(answer.body), this.options.trackings, this.url, this.id);
    return {
      readings,
      report: [
        `${readings.length} snapshot(s)`,
        ...readings.map((r) => `snapshot: ${JSON.stringify(r.snapshot)}`),
      ],
    };
  }
}
