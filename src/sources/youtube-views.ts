import type { Logger } from '../logger.js';
import { decodeUtf8, type HttpAnswer, type PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import { SourceError, SourcePausedError } from './source.js';
import { nextQuotaResetMs, YOUTUBE_IDS_PER_CALL } from './youtube-quota.js';

/** A YouTube video id: 11 characters of letters, digits, `-` and `_`. */
export const youtubeIdPattern = /^[A-Za-z0-9_-]{11}$/;

export interface YoutubeApiSettings {
  /** `YOUTUBE_API_KEY`: sent in the `x-goog-api-key` header, never in a URL (URLs end up in errors and logs). */
  readonly apiKey: string;
  /** Default `https://www.googleapis.com/youtube/v3` (tests point it at a loopback emulator). */
  readonly apiUrl: string;
  /** `YOUTUBE_DAILY_QUOTA`: units a day the key may spend (default 10,000). */
  readonly dailyQuota?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What one `videos.list` answer gave for the ids asked for. */
export interface VideoListViews {
  /** Views by YouTube id. */
  readonly views: Map<string, number>;
  /** Ids asked for and absent from `items`: deleted, private, or wrong ids (YouTube leaves them out silently). */
  readonly missing: string[];
}

/**
 * Reads `items[].statistics.viewCount` out of a `videos.list` answer for the ids asked for. Each count must be a
 * string of digits, as the API sends it (a JSON number is not what it sends, so it is refused); an item without statistics or a count, an item that was not
 * asked for, or one video given two counts is an error naming it, so the whole answer is refused. A video absent
 * from `items` is listed in `missing`, never read as zero.
 */
export function viewsFromVideoList(
  body: unknown,
  requested: readonly string[],
  what: string,
): VideoListViews {
  if (!isObject(body)) throw new SourceError(`${what}: the answer is not a videos.list response`, true);
  if (body.kind !== undefined && body.kind !== 'youtube#videoListResponse') {
    throw new SourceError(
      `${what}: the answer is a ${JSON.stringify(body.kind).slice(0, 60)}, not a videoListResponse`,
      true,
    );
  }
  if (!Array.isArray(body.items)) throw new SourceError(`${what}: the answer has no "items" list`, true);
  const asked = new Set(requested);
  const problems: string[] = [];
  const views = new Map<string, number>();
  body.items.forEach((item: unknown, i) => {
    if (!isObject(item) || typeof item.id !== 'string') {
      problems.push(`items[${i}] has no video id`);
      return;
    }
    const id = item.id;
    if (!asked.has(id)) {
      problems.push(`video ${JSON.stringify(id).slice(0, 40)}: in the answer but not asked for`);
      return;
    }
    const stats = item.statistics;
    if (!isObject(stats)) {
      problems.push(`video ${id}: no "statistics" (was part=statistics asked for?)`);
      return;
    }
    // The API sends counts (uint64) as strings of digits; anything else is not a count it sent.
    const count = stats.viewCount;
    if (typeof count !== 'string' || !/^\d+$/.test(count) || !Number.isSafeInteger(Number(count))) {
      problems.push(
        count === undefined
          ? `video ${id}: no "statistics.viewCount"`
          : `video ${id}: "statistics.viewCount" is not a count (${JSON.stringify(count).slice(0, 40)})`,
      );
      return;
    }
    const before = views.get(id);
    if (before !== undefined && before !== Number(count)) {
      problems.push(`video ${id}: listed twice with different counts (${before}, ${count})`);
      return;
    }
    views.set(id, Number(count));
  });
  if (problems.length > 0) throw new SourceError(`${what}: ${problems.join('; ')}`, true);
  const missing = requested.filter((id) => !views.has(id));
  return { views, missing };
}

/** Google's error: `{"error": {"code", "message", "errors": [{"reason"}], "status", "details": [{"reason"}]}}`. */
function googleError(answer: HttpAnswer): { message: string; reasons: string[] } {
  try {
    const body = JSON.parse(decodeUtf8(answer.body)) as unknown;
    if (isObject(body) && isObject(body.error)) {
      const reasons: string[] = [];
      for (const list of [body.error.errors, body.error.details]) {
        if (!Array.isArray(list)) continue;
        for (const entry of list as unknown[]) {
          if (isObject(entry) && typeof entry.reason === 'string') reasons.push(entry.reason);
        }
      }
      // Google's messages may hold HTML (`your <a href=…>quota</a>`): keep the words.
      const message =
        typeof body.error.message === 'string'
          ? body.error.message.replace(/<[^>]*>/g, '').slice(0, 300)
          : '';
      return { message, reasons };
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return { message: '', reasons: [] };
}

const quotaReasons = new Set(['quotaExceeded', 'dailyLimitExceeded']);
const keyReasons = new Set(['keyInvalid', 'API_KEY_INVALID', 'keyExpired', 'API_KEY_EXPIRED']);
const disabledReasons = new Set(['accessNotConfigured', 'SERVICE_DISABLED']);

/** The error a refused `videos.list` call becomes; a spent quota pauses polling until it resets. */
function refusal(what: string, answer: HttpAnswer, nowMs: number): SourceError {
  const { message, reasons } = googleError(answer);
  const detail = `HTTP ${answer.status}${message === '' ? '' : `: ${message}`}${reasons.length === 0 ? '' : ` [${[...new Set(reasons)].join(', ')}]`}`;
  if (answer.status === 403 && reasons.some((r) => quotaReasons.has(r))) {
    const untilMs = nextQuotaResetMs(nowMs);
    return new SourcePausedError(
      `${what}: ${detail}: the YouTube daily quota is spent; polling pauses until it resets at midnight Pacific time (${new Date(untilMs).toISOString()})`,
      untilMs,
    );
  }
  if (reasons.some((r) => keyReasons.has(r)) || /API key not valid/i.test(message)) {
    return new SourceError(
      `${what}: ${detail}: YouTube refused the key in YOUTUBE_API_KEY; check the setting (a key of a Google Cloud project with the YouTube Data API v3 enabled)`,
    );
  }
  if (reasons.some((r) => disabledReasons.has(r))) {
    return new SourceError(
      `${what}: ${detail}: enable the YouTube Data API v3 in the Google Cloud project of YOUTUBE_API_KEY`,
    );
  }
  const retry = answer.retryAfter ? ` (retry after ${answer.retryAfter} s)` : '';
  return new SourceError(`${what}: ${detail}${retry}`);
}

export interface YoutubeViewsOptions {
  readonly id: string;
  readonly http: PoliteHttpClient;
  readonly api: YoutubeApiSettings;
  readonly archive?: RawArchive;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** What one poll of YouTube gave: views by YouTube id as of the last call, and the ids YouTube left out. */
export interface YoutubeViews {
  readonly fetchedAtMs: number;
  readonly views: ReadonlyMap<string, number>;
  /** Asked for and absent from the answers (deleted, private, or a wrong id). */
  readonly missing: readonly string[];
  /** `videos.list` calls made (1 quota unit each). */
  readonly calls: number;
}

/**
 * Current view counts of YouTube videos from the Data API v3 (`videos.list?part=statistics`, 50 ids a call, 1 quota
 * unit each). Any call refused or any answer that is not as expected fails the whole fetch; a spent quota is a
 * {@link SourcePausedError} until midnight Pacific time.
 */
export class YoutubeViewsReader {
  constructor(private readonly options: YoutubeViewsOptions) {}

  /** `<YOUTUBE_API_URL>/videos?part=statistics`: the endpoint, without ids. */
  get endpoint(): string {
    return `${this.options.api.apiUrl.replace(/\/+$/, '')}/videos?part=statistics`;
  }

  /** The request URL for some ids (the API key travels in a header, never here). */
  urlFor(ids: readonly string[]): string {
    const url = new URL(`${this.options.api.apiUrl.replace(/\/+$/, '')}/videos`);
    url.searchParams.set('part', 'statistics');
    // No maxResults: the API does not take it together with `id`; an id list is answered whole.
    url.searchParams.set('id', ids.join(','));
    return url.toString();
  }

  async fetchViews(videoIds: readonly string[]): Promise<YoutubeViews> {
    const ids = [...new Set(videoIds)];
    const bad = ids.filter((id) => !youtubeIdPattern.test(id));
    if (bad.length > 0) throw new SourceError(`${this.options.id}: not YouTube video ids: ${bad.join(', ')}`);
    const now = this.options.now ?? Date.now;
    const views = new Map<string, number>();
    const missing: string[] = [];
    let fetchedAtMs = now();
    let calls = 0;
    const total = Math.ceil(ids.length / YOUTUBE_IDS_PER_CALL);
    for (let start = 0; start < ids.length; start += YOUTUBE_IDS_PER_CALL) {
      const batch = ids.slice(start, start + YOUTUBE_IDS_PER_CALL);
      const url = this.urlFor(batch);
      // Errors name the call, not its URL: 50 ids make a long line.
      const what = `${this.endpoint} (call ${calls + 1} of ${total}, ${batch.length} id(s))`;
      const answer = await this.options.http.send(url, {
        accept: 'application/json',
        headers: { 'x-goog-api-key': this.options.api.apiKey },
      });
      calls += 1;
      fetchedAtMs = now();
      const kept = await this.options.archive?.keep({
        sourceId: this.options.id,
        fetchedAtMs,
        status: answer.status,
        ext: 'json',
        body: answer.body,
      });
      if (kept !== undefined && 'error' in kept)
        this.options.logger?.warn(
          { source: this.options.id, err: kept.error },
          'could not keep the raw answer',
        );
      if (answer.status < 200 || answer.status > 299) throw refusal(what, answer, fetchedAtMs);
      let body: unknown;
      try {
        body = JSON.parse(decodeUtf8(answer.body));
      } catch {
        throw new SourceError(`${what}: answer is not JSON`, true);
      }
      const read = viewsFromVideoList(body, batch, what);
      for (const [id, count] of read.views) views.set(id, count);
      missing.push(...read.missing);
    }
    return { fetchedAtMs, views, missing, calls };
  }
}
