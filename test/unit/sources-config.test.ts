import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import {
  buildSources,
  loadSourcesConfig,
  SourcesConfigError,
  sourcesConfigSchema,
} from '../../src/sources/sources-config.js';
import {
  layoverTracking,
  layoverWithPlaceholderVideos,
  layoverWithVideosTracking,
} from '../helpers/tracking-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'layover-sources-'));
const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
const http = new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 1000 });
const spotify = {
  clientId: 'id',
  clientSecret: 'secret',
  tokenUrl: 'https://accounts.spotify.com/api/token',
  apiUrl: 'https://api.spotify.com/v1',
};

const youtube = { apiKey: 'key', apiUrl: 'https://www.googleapis.com/youtube/v3', dailyQuota: 10_000 };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SourcesConfigError) return error.problems;
    throw error;
  }
  throw new Error('no SourcesConfigError');
}

describe('sources config', () => {
  it('loads the example file and builds a kworb source on the artist page, a Spotify source and a JSON source', () => {
    const config = loadSourcesConfig('config/examples/sources.json');
    const sources = buildSources(config, trackings, http, 'sources.json', { spotify });
    expect(sources.map((s) => [s.source.kind, s.source.id, s.source.url, s.intervalMs])).toEqual([
      ['kworb', 'kworb-v', 'https://kworb.net/spotify/artist/3JsHnjpbhX4SnySpvpa9DK_songs.html', 3_600_000],
      ['spotify', 'spotify-v', 'https://api.spotify.com/v1/artists/3JsHnjpbhX4SnySpvpa9DK', 3_600_000],
      ['json', 'fan-scraper', 'https://example.org/layover/snapshots.json', 900_000],
    ]);
  });

  it('refuses a Spotify source without the client credentials', () => {
    const config = loadSourcesConfig('config/examples/sources.json');
    expect(problemsOf(() => buildSources(config, trackings, http, 'sources.json'))).toEqual([
      'sources.json: sources[1].kind: "spotify" needs the settings SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET',
    ]);
  });

  it('lists every problem of an invalid file with its path', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        sources: [
          { id: 'a', kind: 'kworb', intervalSeconds: 5 },
          { id: 'a', kind: 'json' },
          { id: 'c', kind: 'rss', url: 'https://example.org' },
          { id: 'd', kind: 'json', url: 'ftp://example.org/x.json' },
        ],
      }),
    );
    const problems = problemsOf(() => loadSourcesConfig(path));
    expect(problems).toEqual(
      expect.arrayContaining([
        `${path}: sources[0].intervalSeconds: must be at least 60 (be polite)`,
        expect.stringMatching(new RegExp(`^${path}: sources\\[1\\]\\.url: `)),
        expect.stringMatching(new RegExp(`^${path}: sources\\[2\\]\\.kind: `)),
        `${path}: sources[3].url: must be an http(s) URL`,
      ]),
    );
  });

  it('refuses a kworb source for an unknown artist', () => {
    const config = {
      timeoutSeconds: 20,
      minGapSeconds: 1,
      sources: [{ id: 'k', kind: 'kworb' as const, artist: 'jimin', intervalSeconds: 3600 }],
    };
    expect(problemsOf(() => buildSources(config, trackings, http, 'sources.json'))).toEqual([
      'sources.json: sources[0].artist: unknown artist "jimin"',
    ]);
  });

  it('builds a YouTube source on the videos of the example with videos', () => {
    const withVideos = layoverWithVideosTracking();
    const config = loadSourcesConfig('config/examples/sources-with-youtube.json');
    const sources = buildSources(config, new Map([['v', withVideos]]), http, 'sources.json', { youtube });
    const yt = sources.find((s) => s.source.kind === 'youtube');
    expect([yt?.source.id, yt?.source.url, yt?.intervalMs]).toEqual([
      'youtube-v',
      'https://www.googleapis.com/youtube/v3/videos?part=statistics',
      3_600_000,
    ]);
  });

  it('refuses a YouTube source without YOUTUBE_API_KEY, or for an artist without videos', () => {
    const config = sourcesConfigSchema.parse({ sources: [{ id: 'yt', kind: 'youtube' }] });
    expect(config.sources[0]?.intervalSeconds).toBe(3600);
    expect(
      problemsOf(() => buildSources(config, new Map([['v', layoverWithVideosTracking()]]), http, 'f.json')),
    ).toEqual(['f.json: sources[0].kind: "youtube" needs the setting YOUTUBE_API_KEY']);
    expect(problemsOf(() => buildSources(config, trackings, http, 'f.json', { youtube }))).toEqual([
      'f.json: sources[0].artist: "youtube" needs "videos" (with their youtubeId) in the tracking config of "v"',
    ]);
  });

  it('refuses at start-up YouTube polling that would spend more than half the daily quota, naming the numbers', () => {
    const many = new Map([['v', layoverWithPlaceholderVideos(200)]]);
    const config = sourcesConfigSchema.parse({
      sources: [{ id: 'yt', kind: 'youtube', intervalSeconds: 60 }],
    });
    expect(problemsOf(() => buildSources(config, many, http, 'f.json', { youtube }))).toEqual([
      'f.json: sources: YouTube polling would spend 5760 quota units a day ("yt": 200 video(s) = 4 call(s) every 60 s = 5760 units), more than the 5000 units polling may use (50% of YOUTUBE_DAILY_QUOTA=10000); poll it every 70 s or more, or raise YOUTUBE_DAILY_QUOTA if Google granted the project more',
    ]);
    // The same polling fits a larger quota, and a longer interval fits the default one.
    expect(
      buildSources(config, many, http, 'f.json', { youtube: { ...youtube, dailyQuota: 20_000 } }),
    ).toHaveLength(1);
    const hourly = sourcesConfigSchema.parse({
      sources: [{ id: 'yt', kind: 'youtube', intervalSeconds: 70 }],
    });
    expect(buildSources(hourly, many, http, 'f.json', { youtube })).toHaveLength(1);
  });

  it('says when the file cannot be read or is not JSON', () => {
    expect(problemsOf(() => loadSourcesConfig(join(dir, 'missing.json')))).toEqual([
      `${join(dir, 'missing.json')}: (root): cannot read the file (ENOENT)`,
    ]);
    const path = join(dir, 'text.json');
    writeFileSync(path, 'sources: []');
    expect(problemsOf(() => loadSourcesConfig(path))[0]).toMatch(/\(root\): not valid JSON/);
  });
});
