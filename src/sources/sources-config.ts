import { ProblemsError } from '../problems-error.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { formatIssues, jsonSchemaRefSchema, slugSchema } from '../tracking/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import { JsonSource } from './json-source.js';
import { KworbSource } from './kworb-source.js';
import type { PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import type { Source } from './source.js';
import { SpotifyFollowersSource, type SpotifyApiSettings } from './spotify-followers-source.js';
import { youtubeQuotaProblem, type YoutubePollPlan } from './youtube-quota.js';
import { YoutubeSource } from './youtube-source.js';
import type { YoutubeApiSettings } from './youtube-views.js';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const sourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: slugSchema,
    kind: z.literal('kworb'),
    /** Artist id from the tracking config; optional when one artist is loaded. */
    artist: slugSchema.optional(),
    /** Defaults to the artist's kworb songs page (needs `artist.spotifyId`). */
    url: httpUrl.optional(),
    intervalSeconds: z.int().min(60, 'must be at least 60 (be polite)').default(3600),
  }),
  z.strictObject({
    id: slugSchema,
    /** Followers from the Spotify Web API (needs SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET and artist.spotifyId). */
    kind: z.literal('spotify'),
    artist: slugSchema.optional(),
    intervalSeconds: z.int().min(60, 'must be at least 60 (be polite)').default(3600),
  }),
  z.strictObject({
    id: slugSchema,
    /**
     * Views of the artist's `videos` from the YouTube Data API v3 (needs YOUTUBE_API_KEY); every YouTube source
     * together must stay within half of YOUTUBE_DAILY_QUOTA.
     */
    kind: z.literal('youtube'),
    artist: slugSchema.optional(),
    intervalSeconds: z.int().min(60, 'must be at least 60 (be polite)').default(3600),
  }),
  z.strictObject({
    id: slugSchema,
    kind: z.literal('json'),
    url: httpUrl,
    intervalSeconds: z.int().min(60, 'must be at least 60 (be polite)').default(900),
  }),
]);

/** The file named by `SOURCES_CONFIG`. */
export const sourcesConfigSchema = z
  .strictObject({
    $schema: jsonSchemaRefSchema,
    /** Whole-request timeout for every poll. */
    timeoutSeconds: z.int().min(1).max(300).default(20),
    /** Least pause between two requests to the same host. */
    minGapSeconds: z.number().min(0).max(600).default(1),
    sources: z.array(sourceSchema),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sources.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate id "${s.id}"` });
      seen.add(s.id);
    });
  });

export type SourcesConfig = z.output<typeof sourcesConfigSchema>;
export type SourceDefinition = SourcesConfig['sources'][number];

/** A source and how often it is polled. */
export interface ScheduledSource {
  readonly source: Source;
  readonly intervalMs: number;
}

/** Raised when the sources file is unreadable or invalid; lists every problem as `<file>: <path>: <message>`. */
export class SourcesConfigError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super('invalid sources config', problems);
  }
}

/** Reads and validates a sources file. */
export function loadSourcesConfig(file: string): SourcesConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourcesConfigError([
      `${file}: (root): ${code === undefined ? `not valid JSON (${(error as Error).message})` : `cannot read the file (${code})`}`,
    ]);
  }
  const parsed = sourcesConfigSchema.safeParse(json);
  if (!parsed.success)
    throw new SourcesConfigError(formatIssues(parsed.error).map((line) => `${file}: ${line}`));
  return parsed.data;
}

/** What sources need beyond the file: where raw answers are kept, a logger, API credentials. */
export interface SourceExtras {
  readonly archive?: RawArchive;
  readonly logger?: Logger;
  /** Absent without SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET. */
  readonly spotify?: SpotifyApiSettings;
  /** Absent without YOUTUBE_API_KEY. */
  readonly youtube?: YoutubeApiSettings;
}

/** Builds the sources a config names, resolving artists against the loaded trackings. */
export function buildSources(
  config: SourcesConfig,
  trackings: ReadonlyMap<string, Tracking>,
  http: PoliteHttpClient,
  file = 'sources config',
  extras: SourceExtras = {},
): ScheduledSource[] {
  const problems: string[] = [];
  const scheduled: ScheduledSource[] = [];
  const youtubePlans: YoutubePollPlan[] = [];
  const shared = {
    http,
    ...(extras.archive === undefined ? {} : { archive: extras.archive }),
    ...(extras.logger === undefined ? {} : { logger: extras.logger }),
  };
  config.sources.forEach((def, i) => {
    const intervalMs = def.intervalSeconds * 1000;
    if (def.kind === 'json') {
      scheduled.push({
        source: new JsonSource({ id: def.id, url: def.url, trackings, ...shared }),
        intervalMs,
      });
      return;
    }
    let tracking: Tracking | undefined;
    if (def.artist !== undefined) tracking = trackings.get(def.artist);
    else if (trackings.size === 1) tracking = trackings.values().next().value;
    if (tracking === undefined) {
      problems.push(
        `${file}: sources[${i}].artist: ${def.artist === undefined ? 'is required when more than one artist is tracked' : `unknown artist "${def.artist}"`}`,
      );
      return;
    }
    if (def.kind === 'spotify') {
      if (extras.spotify === undefined) {
        problems.push(
          `${file}: sources[${i}].kind: "spotify" needs the settings SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET`,
        );
      } else if (tracking.artist.spotifyId === undefined) {
        problems.push(
          `${file}: sources[${i}].artist: "spotify" needs artist.spotifyId in the tracking config of "${tracking.artist.id}"`,
        );
      } else {
        scheduled.push({
          source: new SpotifyFollowersSource({ id: def.id, tracking, api: extras.spotify, ...shared }),
          intervalMs,
        });
      }
      return;
    }
    if (def.kind === 'youtube') {
      if (extras.youtube === undefined) {
        problems.push(`${file}: sources[${i}].kind: "youtube" needs the setting YOUTUBE_API_KEY`);
      } else if (tracking.videos.length === 0) {
        problems.push(
          `${file}: sources[${i}].artist: "youtube" needs "videos" (with their youtubeId) in the tracking config of "${tracking.artist.id}"`,
        );
      } else {
        youtubePlans.push({
          sourceId: def.id,
          videoCount: tracking.videos.length,
          intervalSeconds: def.intervalSeconds,
        });
        scheduled.push({
          source: new YoutubeSource({ id: def.id, tracking, api: extras.youtube, ...shared }),
          intervalMs,
        });
      }
      return;
    }
    if (def.url === undefined && tracking.artist.spotifyId === undefined) {
      problems.push(
        `${file}: sources[${i}].url: is required because artist "${tracking.artist.id}" has no spotifyId`,
      );
      return;
    }
    scheduled.push({
      source: new KworbSource({
        id: def.id,
        tracking,
        ...shared,
        ...(def.url === undefined ? {} : { url: def.url }),
      }),
      intervalMs,
    });
  });
  // Every YouTube source spends the one key's quota: refused at start-up rather than run dry by mid-day.
  const quota = youtubeQuotaProblem(youtubePlans, extras.youtube?.dailyQuota);
  if (quota !== null) problems.push(`${file}: sources: ${quota}`);
  if (problems.length > 0) throw new SourcesConfigError(problems);
  return scheduled;
}

/** Songs that a kworb source can only match by title: configured without any Spotify id. */
export function songsWithoutSpotifyId(tracking: Tracking): string[] {
  return [...tracking.tracksById.values()].filter((t) => t.spotifyIds.length === 0).map((t) => t.id);
}
