import { readFileSync } from 'node:fs';
import { loadTrackings, parseTrackingText } from '../../src/tracking/load-tracking.js';
import type { TrackingConfigInput } from '../../src/tracking/schema.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { seededRandom } from './random.js';

export function layoverTracking(): Tracking {
  const [tracking] = loadTrackings(['config/layover.json']);
  if (tracking === undefined) throw new Error('config/layover.json did not load');
  return tracking;
}

/** `config/layover.json` with one tracked video (its YouTube id is a placeholder): every kind has a subject. */
export function layoverWithVideosTracking(): Tracking {
  const [tracking] = loadTrackings(['config/examples/layover-with-videos.json']);
  if (tracking === undefined) throw new Error('config/examples/layover-with-videos.json did not load');
  return tracking;
}

/** Placeholder YouTube ids (11 characters), numbered from 1: `yt000000001`. Not real videos. */
export function placeholderYoutubeId(n: number): string {
  return `yt${String(n).padStart(9, '0')}`;
}

/**
 * `config/layover.json` with `count` videos `mv-1` … `mv-<count>` titled `Video <n>`, whose YouTube ids are the
 * placeholders of {@link placeholderYoutubeId}.
 */
export function layoverWithPlaceholderVideos(count: number): Tracking {
  const config = JSON.parse(readFileSync('config/layover.json', 'utf8')) as TrackingConfigInput;
  config.videos = Array.from({ length: count }, (_, i) => ({
    id: `mv-${i + 1}`,
    title: `Video ${i + 1}`,
    youtubeId: placeholderYoutubeId(i + 1),
    releasedAt: '2023-09-08T13:00:00+09:00',
  }));
  const result = parseTrackingText('placeholder-videos', JSON.stringify(config));
  if (result.tracking === null) throw new Error(result.problems.join('\n'));
  return result.tracking;
}

/**
 * A rising daily history for every track of the tracking's albums, with random daily gains (and an occasional
 * dip, as stream filtering does), artist total, followers and each configured video's views. Deterministic for a
 * seed.
 */
export function randomHistory(tracking: Tracking, days: number, seed: number): Snapshot[] {
  const random = seededRandom(seed);
  const tracks = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
  const counts = new Map(tracks.map((id) => [id, Math.floor(random() * 20_000_000)]));
  let artist = 900_000_000 + Math.floor(random() * 100_000_000);
  let followers = 14_000_000 + Math.floor(random() * 900_000);
  const views = new Map(tracking.videos.map((v) => [v.id, Math.floor(random() * 50_000_000)]));
  const start = Date.parse('2023-09-08T14:00:00Z');
  const history: Snapshot[] = [];
  for (let d = 0; d < days; d += 1) {
    for (const id of tracks) {
      const dip = random() < 0.05 ? -Math.floor(random() * 3_000_000) : 0;
      counts.set(id, Math.max(0, (counts.get(id) ?? 0) + Math.floor(random() * 4_000_000) + dip));
    }
    artist += Math.floor(random() * 25_000_000);
    followers += Math.floor(random() * 60_000);
    for (const [id, count] of views) views.set(id, count + Math.floor(random() * 2_000_000));
    history.push({
      capturedAt: new Date(start + d * 86_400_000).toISOString(),
      tracks: Object.fromEntries(counts),
      artistStreams: artist,
      followers,
      ...(views.size === 0 ? {} : { views: Object.fromEntries(views) }),
    });
  }
  return history;
}
