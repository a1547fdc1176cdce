import { describe, expect, it } from 'vitest';
import { KworbLayoutError, parseKworbCount, parseKworbPage } from '../../src/sources/kworb-page.js';
import { kworbCapturedAt, kworbReading } from '../../src/sources/kworb-source.js';
import { decodeUtf8 } from '../../src/sources/polite-http.js';
import { SourceError } from '../../src/sources/source.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { kworbFixture, kworbTracking } from '../helpers/kworb-fixtures.js';

const url = 'https://kworb.net/spotify/artist/3JsHnjpbhX4SnySpvpa9DK_songs.html';

function page(name: Parameters<typeof kworbFixture>[0]) {
  return parseKworbPage(decodeUtf8(kworbFixture(name)), url);
}

describe('kworb artist songs page', () => {
  it('reads the title, the Last updated day, the summary totals and every song of a normal page', () => {
    const p = page('normal');
    expect(p.artistName).toBe('V');
    expect(p.lastUpdated).toBe('2023-10-11');
    expect(p.totalStreams).toBe(1_480_312_977);
    expect(p.totalDaily).toBe(5_120_884);
    expect(p.totalTracks).toBe(38);
    expect(p.songs).toHaveLength(8);
    expect(p.songs[0]).toEqual({
      spotifyId: 'FixtureSlowDancing0001',
      title: 'Slow Dancing',
      featured: false,
      streams: 150_123_456,
      daily: 1_877_310,
    });
    expect(p.songs.every((s) => !s.featured)).toBe(true);
  });

  it('decodes the page as UTF-8 although it is served without a charset', () => {
    const scenery = page('normal').songs.find((s) => s.spotifyId === 'FixtureOther0000000002');
    expect(scenery?.title).toBe('풍경 (Scenery)');
  });

  it('marks a row with a leading "* " as featured-only and keeps the title without the star', () => {
    const p = page('featured-only');
    const guest = p.songs.find((s) => s.spotifyId === 'FixtureFeatured0000001');
    expect(guest).toEqual({
      spotifyId: 'FixtureFeatured0000001',
      title: 'Guest Verse (with V)',
      featured: true,
      streams: 31_415_926,
      daily: 27_182,
    });
    expect(p.songs.filter((s) => s.featured)).toHaveLength(1);
  });

  it('reads an empty Daily cell as null and keeps the row', () => {
    const piano = page('empty-daily').songs.find((s) => s.spotifyId === 'FixturePiano0000000001');
    expect(piano).toMatchObject({ streams: 48_000_000, daily: null });
  });

  it('rejects a changed layout with an error naming every missing part', () => {
    let error: unknown;
    try {
      page('changed-layout');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KworbLayoutError);
    const layout = error as KworbLayoutError;
    expect(layout.badContent).toBe(true);
    // The songs table lost its class but is still found by what it holds.
    expect(layout.missing).toEqual([
      'missing "Last updated: YYYY/MM/DD"',
      'missing the "Total" column in the summary table',
    ]);
    expect(layout.message).toContain(url);
  });

  it('rejects a page that is not kworb at all (a challenge page) instead of reading zeros', () => {
    expect(() =>
      parseKworbPage('<html><head><title>Just a moment...</title></head><body></body></html>', url),
    ).toThrow(/title "<Artist> - Spotify Top Songs".*Last updated.*summary table.*songs table/);
  });

  it('names the row whose Streams cell is not a count', () => {
    const html = decodeUtf8(kworbFixture('normal')).replace('<td>90,000,000</td>', '<td>n/a</td>');
    expect(() => parseKworbPage(html, url)).toThrow('songs row 3: Streams is not a count ("n/a")');
  });

  it('rejects a songs table with its header but no rows', () => {
    const html = decodeUtf8(kworbFixture('normal')).replace(/<tbody>[\s\S]*<\/tbody>/, '<tbody></tbody>');
    expect(() => parseKworbPage(html, url)).toThrow(
      'missing the songs table (no table row links an open.spotify.com/track/<id>)',
    );
  });

  it('reads a songs table without a header row, finding its columns by what they hold', () => {
    const p = page('headerless');
    expect(p.layout).toEqual({ header: false, titleColumn: 0, streamsColumn: 1, dailyColumn: 2 });
    expect(p.lastUpdated).toBe('2023-10-13');
    expect(p.songs).toHaveLength(9);
    expect(p.songs.find((s) => s.spotifyId === 'FixtureFeatured0000001')).toEqual({
      spotifyId: 'FixtureFeatured0000001',
      title: "Don't Forget (with V)",
      featured: true,
      streams: 31_500_000,
      daily: null,
    });
  });

  it('tells Streams from Daily by their counts when the columns come in another order', () => {
    const html = decodeUtf8(kworbFixture('headerless')).replace(
      /<td>([\d,]+)<\/td><td>([\d,]*)<\/td><\/tr>/g,
      '<td>$2</td><td>$1</td></tr>',
    );
    const p = parseKworbPage(html, url);
    expect(p.layout).toMatchObject({ streamsColumn: 2, dailyColumn: 1 });
    expect(p.songs.find((s) => s.title === 'Blue')).toMatchObject({ streams: 56_300_000, daily: 650_000 });
  });

  it('follows a header row that names Streams and Daily', () => {
    const html = decodeUtf8(kworbFixture('normal'))
      .replace('<th>Streams</th><th>Daily</th>', '<th>Daily</th><th>Streams</th>')
      .replace(/<td>([\d,]+)<\/td><td>([\d,]*)<\/td><\/tr>/g, '<td>$2</td><td>$1</td></tr>');
    const p = parseKworbPage(html, url);
    expect(p.layout).toEqual({ header: true, titleColumn: 0, streamsColumn: 2, dailyColumn: 1 });
    expect(p.songs[0]).toMatchObject({ title: 'Slow Dancing', streams: 150_123_456, daily: 1_877_310 });
  });

  it('refuses a row whose Daily is above its Streams (columns mixed up)', () => {
    const html = decodeUtf8(kworbFixture('normal')).replace(
      '<td>55,000,000</td><td>640,551</td>',
      '<td>640,551</td><td>55,000,000</td>',
    );
    expect(() => parseKworbPage(html, url)).toThrow(
      'songs row 5: Daily (55000000) is larger than Streams (640551)',
    );
  });

  it('refuses a songs table with a single count column', () => {
    const html = decodeUtf8(kworbFixture('headerless')).replace(/<td>[\d,]*<\/td><\/tr>/g, '</tr>');
    expect(() => parseKworbPage(html, url)).toThrow(
      'songs table: expected two count columns (Streams and Daily) beside the track link, found 1',
    );
  });

  it('refuses a page cut short, even at a row boundary', () => {
    const html = decodeUtf8(kworbFixture('headerless'));
    const cut = html.slice(
      0,
      html.indexOf('<tr><td class="text"><div><a href="https://open.spotify.com/track/FixtureBlue'),
    );
    expect(() => parseKworbPage(cut, url)).toThrow('the page is cut short (it does not end with </html>)');
  });

  it('refuses a summary total below a song (a summary from another table)', () => {
    const html = decodeUtf8(kworbFixture('normal')).replace('1,480,312,977', '1,480,312');
    expect(() => parseKworbPage(html, url)).toThrow(
      'summary Total streams (1480312) is below the streams of "Christmas Tree" (740167444)',
    );
  });

  it('rejects a Last updated day that does not exist', () => {
    const html = decodeUtf8(kworbFixture('normal')).replace('2023/10/11', '2023/02/30');
    expect(() => parseKworbPage(html, url)).toThrow('"Last updated: 2023/02/30" is not a real date');
  });
});

describe('kworb counts', () => {
  it('accepts comma-separated and plain digits and nothing else', () => {
    expect(parseKworbCount('2,099,544,623')).toBe(2_099_544_623);
    expect(parseKworbCount(' 38 ')).toBe(38);
    expect(parseKworbCount('')).toBeNull();
    expect(parseKworbCount('-5')).toBeNull();
    expect(parseKworbCount('1.5')).toBeNull();
    expect(parseKworbCount('1,23')).toBeNull();
    expect(parseKworbCount('99,999,999,999,999,999')).toBeNull();
  });
});

describe('kworb reading', () => {
  it('maps tracks to the config by Spotify id, takes the summary total as artistStreams, and leaves other songs out', () => {
    const { reading } = kworbReading(page('normal'), kworbTracking(), url);
    expect(reading?.snapshot).toEqual({
      capturedAt: '2023-10-11T12:00:00+00:00',
      artist: 'v',
      source: 'kworb',
      tracks: {
        'slow-dancing': 150_123_456,
        'love-me-again': 110_000_000,
        'rainy-days': 90_000_000,
        blue: 55_000_000,
        'for-us': 50_000_000,
        'slow-dancing-piano': 48_000_000,
      },
      artistStreams: 1_480_312_977,
    });
    expect(reading?.dataKey).toBe('2023-10-11');
    expect(reading?.capturedAtMs).toBe(Date.parse('2023-10-11T12:00:00Z'));
  });

  it('keys on the page date: noon UTC is the printed day in Seoul and in New York', () => {
    const at = kworbCapturedAt('2023-10-11');
    expect(new Date(at).toLocaleDateString('en-CA', { timeZone: 'Asia/Seoul' })).toBe('2023-10-11');
    expect(new Date(at).toLocaleDateString('en-CA', { timeZone: 'America/New_York' })).toBe('2023-10-11');
  });

  it('with only the two published Spotify ids in the config, matches the other songs by title', () => {
    const { reading, matches } = kworbReading(page('normal'), layoverTracking(), url);
    expect(reading?.snapshot.tracks).toEqual({
      'rainy-days': 90_000_000,
      blue: 55_000_000,
      'love-me-again': 110_000_000,
      'slow-dancing': 150_123_456,
      'for-us': 50_000_000,
      'slow-dancing-piano': 48_000_000,
    });
    expect(Object.fromEntries(matches.map((m) => [m.trackId, m.how]))).toEqual({
      'rainy-days': 'id',
      blue: 'title',
      'love-me-again': 'id',
      'slow-dancing': 'title',
      'for-us': 'title',
      'slow-dancing-piano': 'title',
    });
  });

  it('waits for noon UTC of the stamped day before it gives a reading', () => {
    const noon = Date.parse('2023-10-11T12:00:00Z');
    expect(kworbReading(page('normal'), layoverTracking(), url, noon - 1).reading).toBeNull();
    expect(kworbReading(page('normal'), layoverTracking(), url, noon).reading?.dataKey).toBe('2023-10-11');
  });

  it('refuses a page that holds none of the tracked Spotify ids (a wrong artist page)', () => {
    const html = decodeUtf8(kworbFixture('normal'))
      .replaceAll('5ydjxBSUIDn26MFzU3asP4', 'SomeoneElse00000000001')
      .replaceAll('2N0SPREDYqILVEFSsWF5N5', 'SomeoneElse00000000002');
    expect(() => kworbReading(parseKworbPage(html, url), layoverTracking(), url)).toThrow(SourceError);
  });
});
