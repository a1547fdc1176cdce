import { readFileSync } from 'node:fs';
import type { Settings } from '../env.js';
import type { Logger } from '../logger.js';
import type { Tracking } from '../tracking/tracking.js';
import type { HostLock } from './host-lock.js';
import { PoliteHttpClient, userAgentFor } from './polite-http.js';
import { DirectoryRawArchive } from './raw-archive.js';
import {
  buildSources,
  loadSourcesConfig,
  songsWithoutSpotifyId,
  type ScheduledSource,
} from './sources-config.js';

function projectVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0';
}

/**
 * The sources `SOURCES_CONFIG` names, built as the settings say: one polite HTTP client (with the cross-process
 * host lock when given), raw answers kept under `SOURCES_RAW_DIR`, Spotify and YouTube credentials when set. Empty without
 * `SOURCES_CONFIG`. Throws {@link SourcesConfigError} listing every problem.
 */
export function sourcesFromSettings(
  settings: Settings,
  trackings: readonly Tracking[],
  logger: Logger,
  hostLock?: HostLock,
): ScheduledSource[] {
  if (settings.SOURCES_CONFIG === undefined) return [];
  const config = loadSourcesConfig(settings.SOURCES_CONFIG);
  const http = new PoliteHttpClient({
    userAgent: userAgentFor(projectVersion(), settings.POLLER_CONTACT_URL),
    timeoutMs: config.timeoutSeconds * 1000,
    minGapMs: config.minGapSeconds * 1000,
    ...(hostLock === undefined ? {} : { hostLock }),
  });
  const spotify =
    settings.SPOTIFY_CLIENT_ID === undefined || settings.SPOTIFY_CLIENT_SECRET === undefined
      ? undefined
      : {
          clientId: settings.SPOTIFY_CLIENT_ID,
          clientSecret: settings.SPOTIFY_CLIENT_SECRET,
          tokenUrl: settings.SPOTIFY_TOKEN_URL,
          apiUrl: settings.SPOTIFY_API_URL,
        };
  const youtube =
    settings.YOUTUBE_API_KEY === undefined
      ? undefined
      : {
          apiKey: settings.YOUTUBE_API_KEY,
          apiUrl: settings.YOUTUBE_API_URL,
          dailyQuota: settings.YOUTUBE_DAILY_QUOTA,
        };
  return buildSources(
    config,
    new Map(trackings.map((t) => [t.artist.id, t])),
    http,
    settings.SOURCES_CONFIG,
    {
      logger,
      ...(settings.SOURCES_RAW_KEEP > 0
        ? { archive: new DirectoryRawArchive(settings.SOURCES_RAW_DIR, settings.SOURCES_RAW_KEEP) }
        : {}),
      ...(spotify === undefined ? {} : { spotify }),
      ...(youtube === undefined ? {} : { youtube }),
    },
  );
}

/** Start-up notes about the sources: songs a kworb source will match by title (the first poll logs the result). */
export function logSourceNotes(
  sources: readonly ScheduledSource[],
  trackings: readonly Tracking[],
  logger: Logger,
): void {
  if (!sources.some(({ source }) => source.kind === 'kworb')) return;
  for (const tracking of trackings) {
    const byTitle = songsWithoutSpotifyId(tracking);
    if (byTitle.length > 0) {
      logger.info(
        { artist: tracking.artist.id, songs: byTitle },
        'kworb: these songs have no spotifyId and are matched by title on each page (npm run sources -- check shows the ids to pin)',
      );
    }
  }
}
