import { describe, expect, it } from 'vitest';
import { parseKworbPage } from '../../src/sources/kworb-page.js';
import { kworbReading } from '../../src/sources/kworb-source.js';
import { SourceError } from '../../src/sources/source.js';
import { kworbFixture } from '../helpers/kworb-fixtures.js';
import { seededRandom } from '../helpers/random.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const url = 'https://kworb.net/spotify/artist/3JsHnjpbhX4SnySpvpa9DK_songs.html';
const tracking = layoverTracking();
const garbage = ['', 'n/a', '-1', '1.5', '1,23', '—', '1e9', '<b>?</b>', '12 345'];

type Mutation = (html: string, random: () => number) => string;

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items[Math.floor(random() * items.length)];
}

/** Every match of `pattern` in `html`, as [start, end] spans. */
function spans(html: string, pattern: RegExp): [number, number][] {
  return [...html.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length]);
}

function replaceSpan(html: string, span: [number, number] | undefined, by: string): string {
  return span === undefined ? html : html.slice(0, span[0]) + by + html.slice(span[1]);
}

/** Structural damage a real page can suffer (never a plausible other number, which no parser could spot). */
const mutations: Record<string, Mutation> = {
  truncate: (html, r) => html.slice(0, Math.floor(r() * html.length)),
  'drop a cell': (html, r) => replaceSpan(html, pick(spans(html, /<td[^>]*>.*?<\/td>/g), r), ''),
  'drop a row': (html, r) => replaceSpan(html, pick(spans(html, /<tr>.*?<\/tr>/g), r), ''),
  'garble a count': (html, r) =>
    replaceSpan(html, pick(spans(html, /(?<=<td>)[\d,]+(?=<\/td>)/g), r), pick(garbage, r) ?? ''),
  'drop a table tag': (html, r) => replaceSpan(html, pick(spans(html, /<\/?table[^>]*>/g), r), ''),
  'drop a link': (html, r) => replaceSpan(html, pick(spans(html, /<a [^>]*>/g), r), ''),
  // Streams and Daily trade places in one row (a column order change half-way through a page).
  'swap the counts of a row': (html, r) => {
    const row = pick([...html.matchAll(/<td>([\d,]+)<\/td><td>([\d,]*)<\/td><\/tr>/g)], r);
    if (row === undefined) return html;
    const swapped = `<td>${row[2] ?? ''}</td><td>${row[1] ?? ''}</td></tr>`;
    return html.slice(0, row.index) + swapped + html.slice(row.index + row[0].length);
  },
  'drop the stamp': (html) => html.replace(/Last updated: [\d/]+/, ''),
  'drop the title': (html) => html.replace(/<title>.*<\/title>/, '<title></title>'),
  'an error page': () => '<html><body><h1>502 Bad Gateway</h1></body></html>',
};

/** Every count of the original page's rows, by Spotify id, and its summary total. */
function truth(html: string) {
  const page = parseKworbPage(html, url);
  return { total: page.totalStreams, rows: new Map(page.songs.map((s) => [s.spotifyId, s.streams])) };
}

describe('kworb parser under fuzzing', () => {
  for (const fixture of ['normal', 'headerless'] as const) {
    it(`a damaged ${fixture} page gives a clear error or only counts the page really holds, never zeros`, () => {
      const original = kworbFixture(fixture).toString('utf8');
      const { total, rows } = truth(original);
      const random = seededRandom(fixture === 'normal' ? 16 : 61);
      const seen = { errors: 0, readings: 0 };
      for (let i = 0; i < 250; i += 1) {
        const names = Object.keys(mutations);
        const steps = 1 + Math.floor(random() * 2);
        let html = original;
        const applied: string[] = [];
        for (let s = 0; s < steps; s += 1) {
          const name = pick(names, random) ?? 'truncate';
          applied.push(name);
          html = mutations[name]?.(html, random) ?? html;
        }
        let reading;
        try {
          reading = kworbReading(parseKworbPage(html, url), tracking, url).reading;
        } catch (error) {
          expect(error, applied.join(' + ')).toBeInstanceOf(SourceError);
          expect((error as Error).message).toMatch(/^https:\/\/kworb\.net\/.+: ./);
          seen.errors += 1;
          continue;
        }
        seen.readings += 1;
        expect(reading?.snapshot.artistStreams, applied.join(' + ')).toBe(total);
        for (const match of Object.values(reading?.snapshot.tracks ?? {})) {
          expect(match, applied.join(' + ')).toBeGreaterThan(0);
          expect([...rows.values()], applied.join(' + ')).toContain(match);
        }
      }
      // Both outcomes happen: the fuzzer reaches the parser's checks and its successes.
      expect(seen.errors).toBeGreaterThan(120);
      expect(seen.readings).toBeGreaterThan(5);
    });
  }

  it('each kind of damage alone is refused with an error naming the part', () => {
    const html = kworbFixture('headerless').toString('utf8');
    const cases: [string, string, RegExp][] = [
      [
        'drop a cell',
        html.replace('<td>56,300,000</td>', ''),
        /songs row 5: 2 cells where the other rows have 3/,
      ],
      [
        'garble a count',
        html.replace('<td>56,300,000</td>', '<td>1,23</td>'),
        /songs row 5: Streams is not a count \("1,23"\)/,
      ],
      [
        'drop the stamp',
        html.replace('Last updated: 2023/10/13', ''),
        /missing "Last updated: YYYY\/MM\/DD"/,
      ],
      [
        'drop the title',
        html.replace(/<title>.*<\/title>/, ''),
        /missing the title "<Artist> - Spotify Top Songs"/,
      ],
      ['truncate', html.slice(0, 1500), /the page is cut short/],
    ];
    for (const [name, damaged, error] of cases)
      expect(() => parseKworbPage(damaged, url), name).toThrow(error);
  });
});
