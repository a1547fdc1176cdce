/**
 * Builds `config/sample/layover-history.jsonl`: SAMPLE DATA for the demo and the replay.
 *
 * One snapshot per day at 23:00 KST from Layover's release day (2023-09-08) to day 262.
 * The album total is the sum of a smooth daily growth; Blue, For Us and Slow Dancing (Piano Ver.) are
 * monotone cubic curves (Fritsch–Carlson) through anchor points; the other three tracks share the rest of
 * the album's growth. Constants and anchors are chosen from the published figures listed in
 * config/sample/README.md so that the rules engine announces the published milestones on the published
 * days (day counts).
 * Every daily count between those points is invented, not real.
 *
 *   npx tsx scripts/build-sample-history.ts [--out <file>]
 *
 * Prints the milestones the file makes the engine announce.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { advanceArtist, emptyArtistState } from '../src/milestones/advance-artist.js';
import type { ArtistState, Milestone } from '../src/milestones/types.js';
import { normalizeSnapshot } from '../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../src/snapshots/schema.js';
import { loadTrackings } from '../src/tracking/load-tracking.js';

export const sampleHistoryPath = 'config/sample/layover-history.jsonl';
export const sampleConfigPath = 'config/layover.json';
/** The last day written (release day is day 0). */
export const lastDay = 262;

const M = 1_000_000;
type Anchors = readonly (readonly [day: number, millions: number])[];

/**
 * Monotone piecewise-cubic interpolation through `anchors` (Fritsch–Carlson): passes through every anchor,
 * never overshoots, so rising anchors give a rising curve and a threshold bracketed by two consecutive days'
 * anchors is crossed exactly between them.
 */
export function monotoneCurve(anchors: Anchors): (day: number) => number {
  const xs = anchors.map(([x]) => x);
  const ys = anchors.map(([, y]) => y);
  const n = xs.length;
  const at = (arr: readonly number[], i: number) => arr[i] ?? Number.NaN;
  const secants = xs.slice(0, -1).map((x, i) => (at(ys, i + 1) - at(ys, i)) / (at(xs, i + 1) - x));
  const slopes = xs.map((_, i) => {
    if (i === 0) return at(secants, 0);
    if (i === n - 1) return at(secants, n - 2);
    const [a, b] = [at(secants, i - 1), at(secants, i)];
    if (a * b <= 0) return 0;
    const [ha, hb] = [at(xs, i) - at(xs, i - 1), at(xs, i + 1) - at(xs, i)];
    return (3 * (ha + hb)) / ((2 * hb + ha) / a + (hb + 2 * ha) / b);
  });
  return (day) => {
    let i = xs.findIndex((x, k) => k < n - 1 && day <= at(xs, k + 1));
    if (i < 0) i = n - 2;
    const h = at(xs, i + 1) - at(xs, i);
    const t = (day - at(xs, i)) / h;
    const [y0, y1, m0, m1] = [at(ys, i), at(ys, i + 1), at(slopes, i) * h, at(slopes, i + 1) * h];
    const t2 = t * t;
    const t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * m1;
  };
}

// Anchors in millions. Pairs of anchors on consecutive days pin the published days.
// prettier-ignore
const blue: Anchors = [
  [0, 2.05], [1, 4.15], [2, 6.1], [3, 7.9], [7, 14.3], [14, 21.6], [22, 27.6], [33, 34.2],
  [46, 39.82], [47, 40.24], // every track >= 40M on day 47, Blue the last
  [71, 49.85], [72, 50.2], // every track >= 50M on day 72, Blue the last
  [100, 59.0], [170, 81.0], [258, 101.3], [262, 102.2],
];
// prettier-ignore
const piano: Anchors = [
  [0, 1.87], [1, 3.75], [2, 5.5], [3, 7.15], [7, 13.2], [14, 20.4], [22, 27.0], [33, 34.6], [47, 40.9],
  [72, 51.2], [100, 60.4],
  [169, 79.88], [170, 80.16], // every track >= 80M on day 170
  [257, 99.9], [258, 100.12], // every track >= 100M on day 258, Piano Ver. the last
  [262, 101.0],
];
// prettier-ignore
const forUs: Anchors = [
  [0, 2.31], [1, 4.55], [2, 6.65], [3, 8.6], [7, 15.4], [14, 23.4], [22, 30.5], [33, 38.9], [47, 46.5],
  [72, 57.8], [100, 67.5], [170, 88.0], [258, 106.5], [262, 107.3],
];

/** Day-0 counts (10 hours after release) of the tracks whose curve is derived from the album total. */
const slowDancingFirstDay = 4_743_367;
const loveMeAgainDay0 = 33_400_000; // pre-released 2023-08-11: four weeks of streams already
const rainyDaysDay0 = 27_100_000;
const day0Total = slowDancingFirstDay + loveMeAgainDay0 + rainyDaysDay0 + (2.05 + 1.87 + 2.31) * M;

/**
 * The album total's growth on day `k` (k >= 1), in millions. The launch month's linear decline puts the total
 * over 100M on day 2 and over 500M on day 33; the late-October plateau puts it over 550M on day 41 and 600M on
 * day 48; the long tail keeps the artist page under 2B through the last day (no 2B milestone was published).
 */
export function albumGrowth(k: number): number {
  if (k <= 33) return 19.0 - ((k - 1) * 12.0) / 32;
  if (k <= 48) return 6.95 - ((k - 34) * 0.2) / 14;
  return 1.45 + 5.3 * Math.exp(-(k - 48) / 24);
}

/** Shares of the rest of the album's daily growth (album minus Blue, Piano Ver. and For Us). */
const restShares = { 'slow-dancing': 0.38, 'love-me-again': 0.33 } as const;

// prettier-ignore
const followers: Anchors = [
  [0, 15.452], [7, 15.53],
  [45, 15.72], // 15.72M on 2023-10-23 (a data point, not a milestone)
  [100, 15.835], [262, 15.978], // kept under 16M: no followers milestone was published
];

/** V's streams outside Layover on the artist page, growing slowly; chosen so that the page passes 1.5B on day 43. */
const otherCatalogGrowthPerDay = 0.08 * M;
const artistPassesOnDay = { day: 43, threshold: 1_500_000_000 };

const rainyDaysSpotifyId = '5ydjxBSUIDn26MFzU3asP4';
const loveMeAgainSpotifyId = '2N0SPREDYqILVEFSsWF5N5';

export interface SampleLine {
  readonly capturedAt: string;
  readonly artist: 'v';
  readonly source: 'sample';
  readonly tracks: Readonly<Record<string, number>>;
  readonly artistStreams: number;
  readonly followers: number;
}

function dateOf(day: number): string {
  return new Date(Date.UTC(2023, 8, 8 + day)).toISOString().slice(0, 10);
}

const counts = (anchors: Anchors) => {
  const curve = monotoneCurve(anchors);
  return (day: number) => Math.round(curve(day) * M);
};

/** Every day's counts, day 0 to {@link lastDay}. Throws if a series would fall or a count is not plausible. */
export function buildSampleHistory(): SampleLine[] {
  const blueAt = counts(blue);
  const pianoAt = counts(piano);
  const forUsAt = counts(forUs);
  const followersAt = counts(followers);
  const albumTotals = [Math.round(day0Total)];
  let total = day0Total / M;
  for (let k = 1; k <= lastDay; k += 1) {
    total += albumGrowth(k);
    albumTotals.push(Math.round(total * M));
  }
  const albumAt = (day: number) => albumTotals[day] ?? Number.NaN;
  const small = (day: number) => blueAt(day) + pianoAt(day) + forUsAt(day);
  const rest0 = albumAt(0) - small(0);
  const { day: passDay, threshold } = artistPassesOnDay;
  const midpoint = (albumAt(passDay - 1) + albumAt(passDay)) / 2;
  const otherCatalogDay0 = Math.round(threshold - midpoint - (passDay - 0.5) * otherCatalogGrowthPerDay);

  const lines: SampleLine[] = [];
  for (let day = 0; day <= lastDay; day += 1) {
    const restGrowth = albumAt(day) - small(day) - rest0;
    const slowDancing = slowDancingFirstDay + Math.round(restShares['slow-dancing'] * restGrowth);
    const loveMeAgain = loveMeAgainDay0 + Math.round(restShares['love-me-again'] * restGrowth);
    const rainyDays = albumAt(day) - small(day) - slowDancing - loveMeAgain;
    // Some lines key the pre-released tracks by Spotify id, as a source that knows no slugs would.
    const bySpotifyId = day % 7 === 3;
    const tracks: Record<string, number> = {
      [bySpotifyId ? rainyDaysSpotifyId : 'rainy-days']: rainyDays,
      blue: blueAt(day),
      [bySpotifyId ? loveMeAgainSpotifyId : 'love-me-again']: loveMeAgain,
      'slow-dancing': slowDancing,
      'for-us': forUsAt(day),
      'slow-dancing-piano': pianoAt(day),
    };
    lines.push({
      capturedAt: `${dateOf(day)}T23:00:00+09:00`,
      artist: 'v',
      source: 'sample',
      tracks,
      artistStreams: albumAt(day) + otherCatalogDay0 + Math.round(day * otherCatalogGrowthPerDay),
      followers: followersAt(day),
    });
  }
  checkPlausible(lines);
  return lines;
}

/** Counts are integers that never fall, and every series grows every day (a released song is always played). */
function checkPlausible(lines: readonly SampleLine[]): void {
  const series = (line: SampleLine) => [...Object.values(line.tracks), line.artistStreams, line.followers];
  lines.forEach((line, i) => {
    for (const value of series(line)) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new Error(`${line.capturedAt}: bad count ${value}`);
      }
    }
    const previous = lines[i - 1];
    if (previous === undefined) return;
    const before = series(previous);
    series(line).forEach((value, k) => {
      if (value <= (before[k] ?? 0)) throw new Error(`${line.capturedAt}: series ${k} does not grow`);
    });
  });
}

export function sampleHistoryJsonl(lines: readonly SampleLine[] = buildSampleHistory()): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** Runs lines through the pure engine with config/layover.json; returns what it announces. */
export function announce(lines: readonly unknown[], configPath = sampleConfigPath): Milestone[] {
  const trackings = new Map(loadTrackings([configPath]).map((t) => [t.artist.id, t]));
  let state: ArtistState = emptyArtistState;
  const milestones: Milestone[] = [];
  lines.forEach((raw, i) => {
    const normalized = normalizeSnapshot(snapshotSchema.parse(raw), trackings);
    if (!normalized.ok) throw new Error(`line ${i + 1}: ${JSON.stringify(normalized.problems)}`);
    const result = advanceArtist(normalized.tracking, state, normalized.snapshot);
    if (result.status === 'stale') throw new Error(`line ${i + 1} is stale`);
    state = result.state;
    milestones.push(...result.milestones);
  });
  return milestones;
}

function main(argv: readonly string[]): void {
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : sampleHistoryPath;
  if (out === undefined) throw new Error('--out needs a file name');
  const lines = buildSampleHistory();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, sampleHistoryJsonl(lines));
  console.log(`wrote ${lines.length} snapshots to ${out}; the engine announces:`);
  for (const m of announce(lines)) {
    const subject = m.trackId ?? m.albumId ?? m.artistId;
    const extra = [
      m.lastTrackId && `last: ${m.lastTrackId}`,
      m.record && `record vs ${m.record.holder} ${m.record.previousDays}d`,
    ];
    console.log(
      `  ${m.observedAt.slice(0, 10)}  day ${String(m.daysSinceRelease).padStart(3)}  ${m.kind.padEnd(9)} ${subject.padEnd(18)} ${m.threshold.toLocaleString('en-US').padStart(13)}  ${extra.filter(Boolean).join(', ')}`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
