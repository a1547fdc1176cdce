import { DateTime } from 'luxon';
import type { Tracking } from '../tracking/tracking.js';
import type { Snapshot } from './schema.js';

/** A snapshot resolved against the loaded configs: one artist, tracks keyed by our track ids. */
export interface NormalizedSnapshot {
  readonly artistId: string;
  /** As given, with its offset. */
  readonly capturedAt: string;
  readonly capturedAtMs: number;
  readonly source: string | undefined;
  /** Track id -> cumulative streams, tracked tracks only. */
  readonly tracks: ReadonlyMap<string, number>;
  readonly artistStreams: number | undefined;
  readonly followers: number | undefined;
  /** Video id -> cumulative views, configured videos only (empty when the snapshot has no `views`). */
  readonly views: ReadonlyMap<string, number>;
  /** How many keys in `tracks` matched no tracked track (sources report whole catalogues). */
  readonly ignoredTrackKeys: number;
  /** Those keys, in the snapshot's order: listed back to the sender and logged by the entrances. */
  readonly ignoredKeys: readonly string[];
  /** Keys in `views` that matched no configured video. */
  readonly ignoredVideoKeys: number;
}

export interface SnapshotProblem {
  /** JSON path, e.g. `tracks.rainy-days`. */
  readonly path: string;
  readonly message: string;
}

export type NormalizeResult =
  { ok: true; snapshot: NormalizedSnapshot; tracking: Tracking } | { ok: false; problems: SnapshotProblem[] };

/**
 * Resolves the artist and maps track keys (track id or Spotify id) to track ids.
 * A key that names the same track as another key with a different count is a problem: the snapshot is ambiguous.
 */
export function normalizeSnapshot(
  snapshot: Snapshot,
  trackings: ReadonlyMap<string, Tracking>,
): NormalizeResult {
  let tracking: Tracking | undefined;
  if (snapshot.artist !== undefined) {
    tracking = trackings.get(snapshot.artist);
    if (tracking === undefined) {
      return { ok: false, problems: [{ path: 'artist', message: `unknown artist "${snapshot.artist}"` }] };
    }
  } else if (trackings.size === 1) {
    tracking = trackings.values().next().value;
  } else {
    return {
      ok: false,
      problems: [{ path: 'artist', message: 'is required when more than one artist is tracked' }],
    };
  }
  if (tracking === undefined) {
    return { ok: false, problems: [{ path: 'artist', message: 'no artist is tracked' }] };
  }
  const tracks = new Map<string, number>();
  const problems: SnapshotProblem[] = [];
  const ignored: string[] = [];
  // for…in rather than Object.entries: a catalogue snapshot has hundreds of keys and this runs for every one.
  const rawTracks = snapshot.tracks;
  for (const key in rawTracks) {
    if (!Object.hasOwn(rawTracks, key)) continue;
    const count = rawTracks[key] as number;
    const trackId = tracking.trackKeyToId.get(key);
    if (trackId === undefined) {
      ignored.push(key);
      continue;
    }
    const previous = tracks.get(trackId);
    if (previous === undefined) {
      tracks.set(trackId, count);
    } else if (previous !== count) {
      const first = Object.keys(rawTracks).find((k) => tracking.trackKeyToId.get(k) === trackId);
      problems.push({
        path: `tracks.${key}`,
        message: `names track "${trackId}" like "${first}" but with another count (${count} vs ${previous})`,
      });
    }
  }
  const views = new Map<string, number>();
  let ignoredVideos = 0;
  const rawViews = snapshot.views ?? {};
  for (const key in rawViews) {
    if (!Object.hasOwn(rawViews, key)) continue;
    const count = rawViews[key] as number;
    const videoId = tracking.videoKeyToId.get(key);
    if (videoId === undefined) {
      ignoredVideos += 1;
      continue;
    }
    const previous = views.get(videoId);
    if (previous === undefined) {
      views.set(videoId, count);
    } else if (previous !== count) {
      const first = Object.keys(rawViews).find((k) => tracking.videoKeyToId.get(k) === videoId);
      problems.push({
        path: `views.${key}`,
        message: `names video "${videoId}" like "${first}" but with another count (${count} vs ${previous})`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    tracking,
    snapshot: {
      artistId: tracking.artist.id,
      capturedAt: snapshot.capturedAt,
      capturedAtMs: DateTime.fromISO(snapshot.capturedAt, { setZone: true }).toMillis(),
      source: snapshot.source,
      tracks,
      artistStreams: snapshot.artistStreams,
      followers: snapshot.followers,
      views,
      ignoredTrackKeys: ignored.length,
      ignoredKeys: ignored,
      ignoredVideoKeys: ignoredVideos,
    },
  };
}
