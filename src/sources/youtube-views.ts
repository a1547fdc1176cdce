import type { Logger } from '../logger.js';
import { decodeUtf8, type HttpAnswer, type PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import { SourceError } from './source.js';

/** Most video ids one `videos.list` call takes. */
export const YOUTUBE_IDS_PER_CALL = 50;
/** A project's default YouTube Data API quota, units a day (each `videos.list` call costs 1). */
export const YOUTUBE_DEFAULT_DAILY_QUOTA = 10_000;
/** Share of the daily quota polling may spend, leaving room for `sources -- check` and other tools on the key. */
export const YOUTUBE_QUOTA_SHARE = 0.5;

/** A YouTube video id: 11 characters of letters, digits, `-` and `_`. */
export const youtubeIdPattern = /^[A-Za-z0-9_-]{11}$/;

export interface YoutubeApiSettings {
  /** `YOUTUBE_API_KEY`: sent in the `x-goog-api-key` header, never in a URL (URLs end up in errors and logs). */
  readonly apiKey: string;
  /** Default `https://www.googleapis.com/youtube/v3` (tests point it at a loopback emulator). */
  readonly apiUrl: string;
  /** Units a day the key may spend (default {@link YOUTUBE_DEFAULT_DAILY_QUOTA}). */
  readonly dailyQuota?: number;
}

/** Calls one poll of `videoCount` videos makes: one per 50 ids. */
export function youtubeCallsPerPoll(videoCount: number): number {
  return Math.ceil(videoCount / YOUTUBE_IDS_PER_CALL);
}

/**
 * The shortest poll interval, in whole seconds, that keeps polling `videoCount` videos within
 * {@link YOUTUBE_QUOTA_SHARE} of `dailyQuota` units a day.
 */
export function youtubeMinIntervalSeconds(
  videoCount: number,
  dailyQuota = YOUTUBE_DEFAULT_DAILY_QUOTA,
): number {
  const pollsPerDay = Math.floor(
    (dailyQuota * YOUTUBE_QUOTA_SHARE) / Math.max(1, youtubeCallsPerPoll(videoCount)),
  );
  if (pollsPerDay < 1) return Number.POSITIVE_INFINITY;
  return Math.ceil(86_400 / pollsPerDay);
}

/** The quota problem of polling `videoCount` videos every `intervalSeconds`, or null when it fits. */
export function youtubeQuotaProblem(
  videoCount: number,
  intervalSeconds: number,
  dailyQuota = YOUTUBE_DEFAULT_DAILY_QUOTA,
): string | null {
  const least = youtubeMinIntervalSeconds(videoCount, dailyQuota);
  if (intervalSeconds >= least) return null;
  const units = Math.ceil(86_400 / intervalSeconds) * youtubeCallsPerPoll(videoCount);
  return `polling ${videoCount} video(s) every ${intervalSeconds} s spends ${units} units a day, more than ${Math.round(YOUTUBE_QUOTA_SHARE * 100)}% of the ${dailyQuota}-unit quota; poll every ${least} s or more`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `items[].statistics.viewCount` out of a `videos.list` answer for the ids asked for. Every id asked for must
 * be there with a whole-number count (the API sends it as a string of digits); a video missing from `items`
 * (deleted, private, a wrong id) or without statistics is an error naming it, never a zero.
 */
export function viewsFromVideoList(
  body: unknown,
  requested: readonly string[],
  what: string,
): Map<string, number> {
  if (!isObject(body)) throw new SourceError(`${what}: the answer is not a videos.list response`, true);
  if (body.kind !== undefined && body.kind !== 'youtube#videoListResponse') {
    throw new SourceError(
      `${what}: the answer is a ${JSON.stringify(body.kind).slice(0, 60)}, not a videoListResponse`,
      true,
    );
  }
  if (!Array.isArray(body.items)) throw new SourceError(`${what}: the answer has no "items" list`, true);
  const problems: string[] = [];
  const views = new Map<string, number>();
  body.items.forEach((item: unknown, i) => {
    if (!isObject(item) || typeof item.id !== 'string') {
      problems.push(`items[${i}] has no video id`);
      return;
    }
    const stats = item.statistics;
    if (!isObject(stats)) {
      problems.push(`video ${item.id}: no "statistics" (was part=statistics asked for?)`);
      return;
    }
    const count = stats.viewCount;
    const text = typeof count === 'number' ? String(count) : count;
    if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      problems.push(
        count === undefined
          ? `video ${item.id}: no "statistics.viewCount" (views hidden by the owner?)`
          : `video ${item.id}: "statistics.viewCount" is not a count (${JSON.stringify(count).slice(0, 40)})`,
      );
      return;
    }
    views.set(item.id, Number(text));
  });
  for (const id of requested) {
    if (!views.has(id) && !problems.some((p) => p.startsWith(`video ${id}:`))) {
      problems.push(`video ${id}: not in the answer (deleted, private, or a wrong id)`);
    }
  }
  if (problems.length > 0) throw new SourceError(`${what}: ${problems.join('; ')}`, true);
  return views;
}

/** Google's error text: `{"error": {"code", "message", "errors": [{"reason"}]}}`. */
function googleError(answer: HttpAnswer): { message: string; reason: string | undefined } {
  try {
    const body = JSON.parse(decodeUtf8(answer.body)) as unknown;
    if (isObject(body) && isObject(body.error)) {
      const errors = Array.isArray(body.error.errors) ? (body.error.errors as unknown[]) : [];
      const first = errors[0];
      const reason = isObject(first) && typeof first.reason === 'string' ? first.reason : undefined;
      const message = typeof body.error.message === 'string' ? body.error.message : '';
      return { message, reason };
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return { message: '', reason: undefined };
}

export interface YoutubeViewsOptions {
  readonly id: string;
  readonly http: PoliteHttpClient;
  readonly api: YoutubeApiSettings;
  readonly archive?: RawArchive;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** What one poll of YouTube gave: views by video id, as of the fetch. */
export interface YoutubeViews {
  readonly fetchedAtMs: number;
  readonly views: ReadonlyMap<string, number>;
}

/**
 * Current view counts of YouTube videos from the Data API v3 (`videos.list?part=statistics`, 50 ids a call, 1 quota
 * unit each). All or nothing: any call that fails or any video that is missing fails the whole poll.
 */
export class YoutubeViewsSource {
  readonly kind = 'youtube';
  readonly id: string;

  constructor(private readonly options: YoutubeViewsOptions) {
    this.id = options.id;
  }

  /** The request URL for some ids (the API key travels in a header, not here). */
  urlFor(ids: readonly string[]): string {
    const url = new URL(`${this.options.api.apiUrl.replace(/\/+$/, '')}/videos`);
    url.searchParams.set('part', 'statistics');
    url.searchParams.set('id', ids.join(','));
    url.searchParams.set('maxResults', String(YOUTUBE_IDS_PER_CALL));
    return url.toString();
  }

  async fetchViews(videoIds: readonly string[]): Promise<YoutubeViews> {
    const ids = [...new Set(videoIds)];
    const bad = ids.filter((id) => !youtubeIdPattern.test(id));
    if (bad.length > 0) throw new SourceError(`${this.id}: not YouTube video ids: ${bad.join(', ')}`);
    const now = this.options.now ?? Date.now;
    const views = new Map<string, number>();
    let fetchedAtMs = now();
    for (let start = 0; start < ids.length; start += YOUTUBE_IDS_PER_CALL) {
      const batch = ids.slice(start, start + YOUTUBE_IDS_PER_CALL);
      const url = this.urlFor(batch);
      const answer = await this.options.http.send(url, {
        accept: 'application/json',
        headers: { 'x-goog-api-key': this.options.api.apiKey },
      });
      fetchedAtMs = now();
      const kept = await this.options.archive?.keep({
        sourceId: this.id,
        fetchedAtMs,
        status: answer.status,
        ext: 'json',
        body: answer.body,
      });
      if (kept !== undefined && 'error' in kept)
        this.options.logger?.warn({ source: this.id, err: kept.error }, 'could not keep the raw answer');
      if (answer.status < 200 || answer.status > 299) {
        const { message, reason } = googleError(answer);
        const hint =
          reason === 'quotaExceeded' || reason === 'dailyLimitExceeded'
            ? ' (the daily quota is spent; it resets at midnight Pacific time: poll less often or ask Google for more)'
            : reason === 'keyInvalid' || /API key not valid/i.test(message)
              ? ' (check YOUTUBE_API_KEY)'
              : '';
        throw new SourceError(
          `${url}: HTTP ${answer.status}${message === '' ? '' : `: ${message}`}${reason === undefined ? '' : ` [${reason}]`}${hint}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(decodeUtf8(answer.body));
      } catch {
        throw new SourceError(`${url}: answer is not JSON`, true);
      }
      for (const [id, count] of viewsFromVideoList(body, batch, url)) views.set(id, count);
    }
    return { fetchedAtMs, views };
  }
}
