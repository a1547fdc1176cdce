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
    expect(layout.missing).toEqual([
      'missing "Last updated: YYYY/MM/DD"',
      'missing the "Total" column in the summary table',
      'missing the songs table (table.addpos.sortable)',
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
    expect(() => parseKworbPage(html, url)).toThrow('the songs table has no rows');
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
    const reading = kworbReading(page('normal'), kworbTracking(), url);
    expect(reading.snapshot).toEqual({
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
    expect(reading.dataKey).toBe('2023-10-11');
    expect(reading.capturedAtMs).toBe(Date.parse('2023-10-11T12:00:00Z'));
  });

  it('keys on the page date: noon UTC is the printed day in Seoul and in New York', () => {
    const at = kworbCapturedAt('2023-10-11');
    expect(new Date(at).toLocaleDateString('en-CA', { timeZone: 'Asia/Seoul' })).toBe('2023-10-11');
    expect(new Date(at).toLocaleDateString('en-CA', { timeZone: 'America/New_York' })).toBe('2023-10-11');
  });

  it('with only the known Spotify ids in the config, maps those two and leaves the rest to other sources', () => {
    const reading = kworbReading(page('normal'), layoverTracking(), url);
    expect(reading.snapshot.tracks).toEqual({ 'love-me-again': 110_000_000, 'rainy-days': 90_000_000 });
  });

  it('refuses a page that holds none of the tracked Spotify ids (a wrong artist page)', () => {
    const html = decodeUtf8(kworbFixture('normal'))
      .replaceAll('5ydjxBSUIDn26MFzU3asP4', 'SomeoneElse00000000001')
      .replaceAll('2N0SPREDYqILVEFSsWF5N5', 'SomeoneElse00000000002');
    expect(() => kworbReading(parseKworbPage(html, url), layoverTracking(), url)).toThrow(SourceError);
  });
});
