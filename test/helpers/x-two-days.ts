import type { Snapshot } from '../../src/snapshots/schema.js';
import { baselineSnapshot } from './x-harness.js';

const trackIds = Object.keys(baselineSnapshot.tracks);

/** Every tracked song at about `streams` (each a thousand apart), captured at `capturedAt`. */
export function everyTrackAt(capturedAt: string, streams: number): Snapshot {
  return { capturedAt, tracks: Object.fromEntries(trackIds.map((id, i) => [id, streams + i * 1000])) };
}

export const day2 = '2023-10-02T23:00:00+09:00';
export const day3 = '2023-10-03T23:00:00+09:00';

/**
 * Baseline, then every track past `day2Streams` (day 2), then past `day3Streams` (day 3): one album, two days of
 * milestones, which join one X group when both days are announced within its combine window. By default 17M and
 * 35M: tracks and all tracks at 10M then 30M, the album at 100M then 200M.
 */
export function twoDays(day2Streams = 17_000_000, day3Streams = 35_000_000): Snapshot[] {
  return [
    { capturedAt: baselineSnapshot.capturedAt, tracks: baselineSnapshot.tracks },
    everyTrackAt(day2, day2Streams),
    everyTrackAt(day3, day3Streams),
  ];
}
