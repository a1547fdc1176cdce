import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from '../../src/command-error.js';
import { sourcesCommand } from '../../src/cli/sources-command.js';
import { kworbFixture } from '../helpers/kworb-fixtures.js';
import { startLoopback, type LoopbackServer } from '../../emulators/loopback-http.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify-emulator.js';
import { startYoutubeEmulator } from '../../emulators/youtube-emulator.js';

describe('npm run sources', () => {
  let dir: string;
  let kworb: LoopbackServer;
  let spotify: SpotifyEmulator;
  let page: Buffer;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sources-cli-'));
    page = kworbFixture('headerless');
    kworb = await startLoopback((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    spotify = await startSpotifyEmulator('3JsHnjpbhX4SnySpvpa9DK');
    writeFileSync(
      join(dir, 'sources.json'),
      JSON.stringify({
        minGapSeconds: 0,
        sources: [
          { id: 'kworb-v', kind: 'kworb', url: `${kworb.url}/spotify/artist/x_songs.html` },
          { id: 'spotify-v', kind: 'spotify' },
        ],
      }),
    );
    env = {
      TRACKING_CONFIG: 'config/layover.json',
      SOURCES_CONFIG: join(dir, 'sources.json'),
      SOURCES_RAW_DIR: join(dir, 'raw'),
      SOURCES_RAW_KEEP: '2',
      SPOTIFY_CLIENT_ID: spotify.clientId,
      SPOTIFY_CLIENT_SECRET: spotify.clientSecret,
      SPOTIFY_TOKEN_URL: spotify.tokenUrl,
      SPOTIFY_API_URL: spotify.apiUrl,
    };
  });

  afterEach(async () => {
    await kworb.close();
    await spotify.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(argv: string[]): Promise<{ text: string; error: unknown }> {
    let text = '';
    let error: unknown = null;
    try {
      await sourcesCommand(argv, env, (t) => {
        text += t;
      });
    } catch (e) {
      error = e;
    }
    return { text, error };
  }

  it('check fetches each source once and shows how each song matched, writing nothing to the config', async () => {
    const configBefore = readFileSync('config/layover.json', 'utf8');
    const { text, error } = await run(['check']);
    expect(error).toBeNull();
    expect(text).toContain('== kworb-v (kworb)');
    expect(text).toContain('songs table: 9 rows (1 featuring), without a header row');
    expect(text).toContain('  rainy-days: matched by id (5ydjxBSUIDn26MFzU3asP4): 91500000');
    expect(text).toContain(
      '  blue: matched by title "Blue" (FixtureBlue00000000001): 56300000; to pin it, add "spotifyId": "FixtureBlue00000000001"',
    );
    expect(text).toContain('== spotify-v (spotify)');
    expect(text).toContain('artist 3JsHnjpbhX4SnySpvpa9DK: 15720000 followers');
    expect(readFileSync('config/layover.json', 'utf8')).toBe(configBefore);
    expect(kworb.requests).toHaveLength(1);
  });

  it('check lists every candidate id when several rows carry a title, and matches none of them', async () => {
    page = Buffer.from(
      kworbFixture('headerless')
        .toString('utf8')
        .replace(
          '</tbody>',
          '<tr><td class="text"><div><a href="https://open.spotify.com/track/FixtureBlue00000000002">Blue</a></div></td><td>1,000</td><td>10</td></tr></tbody>',
        ),
    );
    const { text } = await run(['check']);
    expect(text).toContain(
      '  blue: NOT matched: 2 rows titled "Blue"; candidate ids: FixtureBlue00000000001 (56300000), FixtureBlue00000000002 (1000)',
    );
    expect(text).not.toContain('"blue":');
  });

  it('check reports a failing source and exits 1, naming what is missing', async () => {
    spotify.mode = 'development';
    const { text, error } = await run(['check']);
    expect(text).toMatch(/FAILED: .*has no "followers": Spotify stopped returning followers/);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).exitCode).toBe(1);
  });

  it('keeps the last SOURCES_RAW_KEEP raw answers per source, and parse replays one as its source would', async () => {
    for (let i = 0; i < 3; i += 1) await run(['check']);
    const kept = readdirSync(join(dir, 'raw', 'kworb-v')).sort();
    expect(kept).toHaveLength(2);
    expect(readdirSync(join(dir, 'raw', 'spotify-v'))).toHaveLength(2);
    const file = join(dir, 'raw', 'kworb-v', kept[1] ?? '');
    expect(readFileSync(file)).toEqual(page);
    const { text, error } = await run(['parse', file]);
    expect(error).toBeNull();
    expect(text).toContain('parsed as kworb');
    expect(text).toContain('"slow-dancing-piano":49200000');

    const followers = join(dir, 'raw', 'spotify-v', readdirSync(join(dir, 'raw', 'spotify-v'))[0] ?? '');
    expect((await run(['parse', followers])).text).toContain('"followers":15720000');
  });

  it('parse of a bad saved page fails with the parser error and exit code 1', async () => {
    const bad = join(dir, 'bad.html');
    const whole = kworbFixture('headerless').toString('utf8');
    writeFileSync(bad, whole.slice(0, Math.floor(whole.length * 0.7)));
    const { text, error } = await run(['parse', bad]);
    expect(text).toContain('parsed as kworb');
    expect((error as CommandError).exitCode).toBe(1);
    expect((error as Error).message).toContain('the page is cut short');
  });

  it('check shows what the YouTube source read, video by video, and parse replays a kept answer', async () => {
    const youtube = await startYoutubeEmulator();
    try {
      // The example's youtubeId is a placeholder; the emulator knows it.
      youtube.views.set('REPLACEME01', 123_456_789);
      writeFileSync(
        join(dir, 'youtube.json'),
        JSON.stringify({ minGapSeconds: 0, sources: [{ id: 'youtube-v', kind: 'youtube' }] }),
      );
      Object.assign(env, {
        TRACKING_CONFIG: 'config/examples/layover-with-videos.json',
        SOURCES_CONFIG: join(dir, 'youtube.json'),
        YOUTUBE_API_KEY: youtube.apiKey,
        YOUTUBE_API_URL: youtube.apiUrl,
      });
      const { text, error } = await run(['check']);
      expect(error).toBeNull();
      expect(text).toContain(`== youtube-v (youtube) ${youtube.apiUrl}/videos?part=statistics\n`);
      expect(text).toContain(
        'videos: 1 configured, 1 found, 0 missing; 1 videos.list call(s) of up to 50 ids (1 quota unit each; 1 a poll)',
      );
      expect(text).toContain('  "slow-dancing-mv" (Slow Dancing MV, REPLACEME01): 123456789 views');
      expect(text).toMatch(
        /snapshot: \{"capturedAt":"[^"]+","artist":"v","source":"youtube","views":\{"slow-dancing-mv":123456789\},"tracks":\{\}\}/,
      );
      expect(text).not.toContain(youtube.apiKey);

      const kept = readdirSync(join(dir, 'raw', 'youtube-v'));
      expect(kept).toHaveLength(1);
      const parsed = await run(['parse', join(dir, 'raw', 'youtube-v', kept[0] ?? '')]);
      expect(parsed.error).toBeNull();
      expect(parsed.text).toContain('parsed as youtube');
      expect(parsed.text).toContain('"views":{"slow-dancing-mv":123456789}');

      // A spent quota is a failed check that says when it resets.
      youtube.quotaLeft = 0;
      const spent = await run(['check']);
      expect(spent.text).toMatch(
        /FAILED: .*\[quotaExceeded\]: the YouTube daily quota is spent; polling pauses until it resets at midnight Pacific time/,
      );
      expect((spent.error as CommandError).exitCode).toBe(1);

      // A config whose polling would not fit the daily quota is refused before anything is fetched.
      const calls = youtube.urls.length;
      env.YOUTUBE_DAILY_QUOTA = '40';
      const refused = await run(['check']);
      expect((refused.error as CommandError).exitCode).toBe(2);
      expect((refused.error as Error).message).toContain(
        'sources: YouTube polling would spend 24 quota units a day ("youtube-v": 1 video(s) = 1 call(s) every 3600 s = 24 units), more than the 20 units polling may use (50% of YOUTUBE_DAILY_QUOTA=40); poll it every 4320 s or more',
      );
      expect(youtube.urls).toHaveLength(calls);
    } finally {
      await youtube.close();
    }
  });
});
