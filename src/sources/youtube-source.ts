import type { Logger } from '../logger.js';
import { snapshotSchema } from '../snapshots/schema.js';
import type { Tracking, TrackedVideo } from '../tracking/tracking.js';
import type { PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import { jobIdSafe, SourceError, type Source, type SourceCheck, type SourceReading } from './source.js';
import { youtubeCallsPerPoll } from './youtube-quota.js';
import { YoutubeViewsReader, type YoutubeApiSettings } from './youtube-views.js';

/** A video as the bot names it in errors and reports: its config id, title and YouTube id. */
export function videoName(video: TrackedVideo): string {
  return `"${video.id}" (${video.title}, ${video.youtubeId})`;
}

/**
 * The reading of one poll's views: the artist's videos found, keyed by their config id, as of the fetch (to the
 * second). Videos YouTube left out get no count, never zero.
 */
export function youtubeViewsReading(
  tracking: Tracking,
  views: ReadonlyMap<string, number>,
  fetchedAtMs: number,
): SourceReading {
  const at = new Date(Math.floor(fetchedAtMs / 1000) * 1000).toISOString();
  const counts: Record<string, number> = {};
  for (const video of tracking.videos) {
    const count = views.get(video.youtubeId);
    if (count !== undefined) counts[video.id] = count;
  }
  const snapshot = snapshotSchema.parse({
    capturedAt: at,
    artist: tracking.artist.id,
    source: 'youtube',
    views: counts,
  });
  return {
    snapshot,
    artistId: tracking.artist.id,
    dataKey: jobIdSafe(`views-${at}`),
    capturedAtMs: Date.parse(at),
  };
}

/** One line per configured video: its count, or why it has none. */
export function describeViews(
  tracking: Tracking,
  views: ReadonlyMap<string, number>,
  absentWhy: string,
): string[] {
  return tracking.videos.map((video) => {
    const count = views.get(video.youtubeId);
    return count === undefined
      ? `  ${videoName(video)}: NOT in the answer (${absentWhy}); no count`
      : `  ${videoName(video)}: ${count} views`;
  });
}

export interface YoutubeSourceOptions {
  readonly id: string;
  readonly tracking: Tracking;
  readonly http: PoliteHttpClient;
  readonly api: YoutubeApiSettings;
  readonly archive?: RawArchive;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * The views of an artist's configured videos (`videos` in the tracking config) from the YouTube Data API v3: one
 * `videos.list` call per 50 videos, each 1 quota unit. Each poll gives one snapshot of `views`. A video YouTube
 * leaves out (deleted, private, a wrong id) gets no count and is named in a warning whenever the set of missing
 * videos changes; when none of the videos is there, the poll fails.
 */
export class YoutubeSource implements Source {
  readonly kind = 'youtube';
  readonly id: string;
  readonly url: string;
  private readonly reader: YoutubeViewsReader;
  /** The missing videos last reported, to warn once per change rather than once per poll. */
  private reportedMissing = '';

  constructor(private readonly options: YoutubeSourceOptions) {
    if (options.tracking.videos.length === 0) {
      throw new Error(
        `source "${options.id}": artist "${options.tracking.artist.id}" has no videos, which the YouTube source needs`,
      );
    }
    this.id = options.id;
    this.reader = new YoutubeViewsReader({
      id: options.id,
      http: options.http,
      api: options.api,
      ...(options.archive === undefined ? {} : { archive: options.archive }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    this.url = this.reader.endpoint;
  }

  async fetch(): Promise<SourceReading[]> {
    return (await this.check()).readings;
  }

  async check(): Promise<SourceCheck> {
    const { tracking } = this.options;
    const result = await this.reader.fetchViews(tracking.videos.map((v) => v.youtubeId));
    const missing = tracking.videos.filter((v) => !result.views.has(v.youtubeId));
    if (missing.length === tracking.videos.length) {
      throw new SourceError(
        `${this.url}: none of the ${missing.length} video(s) of "${tracking.artist.id}" is in YouTube's answer (deleted, private, or wrong ids): ${missing.map(videoName).join(', ')}`,
        true,
      );
    }
    this.reportMissing(missing);
    const reading = youtubeViewsReading(tracking, result.views, result.fetchedAtMs);
    return {
      readings: [reading],
      report: [
        `videos: ${tracking.videos.length} configured, ${result.views.size} found, ${missing.length} missing; ${result.calls} videos.list call(s) of up to 50 ids (1 quota unit each; ${youtubeCallsPerPoll(tracking.videos.length)} a poll)`,
        ...describeViews(tracking, result.views, 'deleted, private, or a wrong id'),
        `snapshot: ${JSON.stringify(reading.snapshot)}`,
      ],
    };
  }

  private reportMissing(missing: readonly TrackedVideo[]): void {
    const key = missing.map((v) => v.id).join(',');
    if (key === this.reportedMissing) return;
    const before = this.reportedMissing;
    this.reportedMissing = key;
    if (missing.length > 0) {
      this.options.logger?.warn(
        { source: this.id, artist: this.options.tracking.artist.id, missing: missing.map(videoName) },
        'youtube: videos missing from the answer (deleted, private, or a wrong youtubeId); they get no count until they are back or removed from the tracking config',
      );
    } else if (before !== '') {
      this.options.logger?.info(
        { source: this.id },
        'youtube: every configured video is in the answer again',
      );
    }
  }
}
