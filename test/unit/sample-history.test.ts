import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState, Milestone, MilestoneKind } from '../../src/milestones/types.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { loadTrackings } from '../../src/tracking/load-tracking.js';
import { sampleHistoryJsonl } from '../../scripts/build-sample-history.js';

const text = readFileSync('config/sample/layover-history.jsonl', 'utf8');
const lines = text.trimEnd().split('\n');
const parsed = lines.map((line) => snapshotSchema.parse(JSON.parse(line)));

/** The committed file through the pure engine, one line at a time, as the replay would. */
function replaySample(): Milestone[] {
  const trackings = new Map(loadTrackings(['config/layover.json']).map((t) => [t.artist.id, t]));
  let state: ArtistState = emptyArtistState;
  const milestones: Milestone[] = [];
  for (const [i, snapshot] of parsed.entries()) {
    const normalized = normalizeSnapshot(snapshot, trackings);
    if (!normalized.ok) throw new Error(`line ${i + 1}: ${JSON.stringify(normalized.problems)}`);
    const result = advanceArtist(normalized.tracking, state, normalized.snapshot);
    if (result.status === 'stale') throw new Error(`line ${i + 1} is stale`);
    state = result.state;
    milestones.push(...result.milestones);
  }
  return milestones;
}

const milestones = replaySample();

function announced(kind: MilestoneKind, threshold: number, subject?: string): Milestone {
  const found = milestones.filter(
    (m) => m.kind === kind && m.threshold === threshold && (subject === undefined || m.trackId === subject),
  );
  expect(found, `${kind} ${threshold} announced once`).toHaveLength(1);
  return found[0] as Milestone;
}

describe('config/sample/layover-history.jsonl', () => {
  it('is exactly what scripts/build-sample-history.ts generates', () => {
    expect(text).toBe(sampleHistoryJsonl());
  });

  it('has one sample snapshot per day at 23:00 KST from release day to past day 260', () => {
    expect(parsed[0]?.capturedAt).toBe('2023-09-08T23:00:00+09:00');
    expect(parsed.length).toBeGreaterThan(260);
    parsed.forEach((snapshot, day) => {
      const expected = new Date(Date.UTC(2023, 8, 8 + day)).toISOString().slice(0, 10);
      expect(snapshot.capturedAt).toBe(`${expected}T23:00:00+09:00`);
      expect(snapshot.source).toBe('sample');
      expect(Object.keys(snapshot.tracks)).toHaveLength(6);
      expect(snapshot.artistStreams).toBeDefined();
      expect(snapshot.followers).toBeDefined();
    });
  });

  it('keys the pre-released tracks by Spotify id on some lines', () => {
    const bySpotify = parsed.filter(
      (s) => '5ydjxBSUIDn26MFzU3asP4' in s.tracks && '2N0SPREDYqILVEFSsWF5N5' in s.tracks,
    );
    expect(bySpotify.length).toBeGreaterThan(10);
    expect(bySpotify.length).toBeLessThan(parsed.length / 2);
  });

  it('never lets a count fall', () => {
    const keyOf = (key: string) =>
      ({ '5ydjxBSUIDn26MFzU3asP4': 'rainy-days', '2N0SPREDYqILVEFSsWF5N5': 'love-me-again' })[key] ?? key;
    const last = new Map<string, number>();
    for (const snapshot of parsed) {
      const values: [string, number][] = [
        ...Object.entries(snapshot.tracks).map(([k, v]): [string, number] => [keyOf(k), v]),
        ['artistStreams', snapshot.artistStreams ?? -1],
        ['followers', snapshot.followers ?? -1],
      ];
      for (const [key, value] of values) {
        expect(value, `${snapshot.capturedAt} ${key}`).toBeGreaterThanOrEqual(last.get(key) ?? 0);
        last.set(key, value);
      }
    }
  });

  it("starts with Slow Dancing's first-day count and streams already on the pre-released tracks", () => {
    expect(parsed[0]?.tracks['slow-dancing']).toBe(4_743_367);
    expect(parsed[0]?.tracks['rainy-days']).toBeGreaterThan(10_000_000);
    expect(parsed[0]?.tracks['love-me-again']).toBeGreaterThan(10_000_000);
  });

  it('announces the album over 100M within the first week', () => {
    expect(announced('album', 100_000_000).daysSinceRelease).toBeLessThanOrEqual(6);
  });

  it('announces album 500M on day 33 (2023-10-11), beating the 58-day record', () => {
    expect(announced('album', 500_000_000)).toMatchObject({
      daysSinceRelease: 33,
      observedAt: '2023-10-11T23:00:00+09:00',
      record: { holder: 'FACE', previousDays: 58 },
    });
  });

  it('announces album 550M on day 41 and 600M on day 48 (2023-10-26)', () => {
    expect(announced('album', 550_000_000).daysSinceRelease).toBe(41);
    expect(announced('album', 600_000_000)).toMatchObject({
      daysSinceRelease: 48,
      observedAt: '2023-10-26T23:00:00+09:00',
    });
  });

  it('announces the artist page at 1.5B on 2023-10-21, 43 days after the album', () => {
    expect(announced('artist', 1_500_000_000)).toMatchObject({
      observedAt: '2023-10-21T23:00:00+09:00',
      daysSinceRelease: 43,
    });
  });

  it('holds 15.72M followers on 2023-10-23 and announces no followers milestone', () => {
    expect(parsed.find((s) => s.capturedAt.startsWith('2023-10-23'))?.followers).toBe(15_720_000);
    expect(milestones.filter((m) => m.kind === 'followers')).toEqual([]);
  });

  it('announces every track >= 40M on day 47, Blue last, beating FACE (179 days)', () => {
    expect(announced('allTracks', 40_000_000)).toMatchObject({
      daysSinceRelease: 47,
      lastTrackId: 'blue',
      record: { holder: 'FACE', previousDays: 179 },
    });
  });

  it('announces every track >= 50M on day 72 with Blue last', () => {
    expect(announced('allTracks', 50_000_000)).toMatchObject({ daysSinceRelease: 72, lastTrackId: 'blue' });
  });

  it('announces every track >= 60M in December 2023', () => {
    expect(announced('allTracks', 60_000_000).observedAt).toMatch(/^2023-12-/);
  });

  it('announces every track >= 80M on day 170', () => {
    expect(announced('allTracks', 80_000_000).daysSinceRelease).toBe(170);
  });

  it('announces every track >= 100M on day 258 with Slow Dancing (Piano Ver.) last', () => {
    expect(announced('allTracks', 100_000_000)).toMatchObject({
      daysSinceRelease: 258,
      lastTrackId: 'slow-dancing-piano',
    });
  });

  it('counts the pre-released tracks from 2023-08-11', () => {
    const first = milestones.find((m) => m.trackId === 'rainy-days');
    const [date] = first?.observedAt.split('T') ?? [''];
    const expected = Math.round((Date.parse(date ?? '') - Date.parse('2023-08-11')) / 86_400_000);
    expect(first?.daysSinceRelease).toBe(expected);
    expect(expected).toBeGreaterThan(28);
  });

  it('announces no artist milestone other than 1.5B and no milestone twice', () => {
    expect(milestones.filter((m) => m.kind === 'artist').map((m) => m.threshold)).toEqual([1_500_000_000]);
    expect(new Set(milestones.map((m) => m.id)).size).toBe(milestones.length);
  });
});
