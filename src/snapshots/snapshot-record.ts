import { hash } from 'node:crypto';
import type { NormalizedSnapshot } from './normalize-snapshot.js';

/**
 * A snapshot after it was admitted at an entrance (validated and resolved against the tracking configs), as
 * plain JSON: what a snapshot job carries and what waits in an artist's inbox. The workers trust it and never
 * validate it again.
 */
export interface SnapshotRecord {
  readonly artistId: string;
  /** As given, with its offset. */
  readonly capturedAt: string;
  /** `capturedAt` as epoch ms. */
  readonly at: number;
  readonly source?: string;
  /** Track id -> cumulative streams, tracked tracks only. */
  readonly tracks: Readonly<Record<string, number>>;
  readonly artistStreams?: number;
  readonly followers?: number;
  /** Video id -> cumulative views, configured videos only; absent when the snapshot had none. */
  readonly views?: Readonly<Record<string, number>>;
}

export function toSnapshotRecord(snapshot: NormalizedSnapshot): SnapshotRecord {
  return {
    artistId: snapshot.artistId,
    capturedAt: snapshot.capturedAt,
    at: snapshot.capturedAtMs,
    ...(snapshot.source === undefined ? {} : { source: snapshot.source }),
    tracks: Object.fromEntries(snapshot.tracks),
    ...(snapshot.artistStreams === undefined ? {} : { artistStreams: snapshot.artistStreams }),
    ...(snapshot.followers === undefined ? {} : { followers: snapshot.followers }),
    ...(snapshot.views.size === 0 ? {} : { views: Object.fromEntries(snapshot.views) }),
  };
}

export function fromSnapshotRecord(record: SnapshotRecord): NormalizedSnapshot {
  const tracks = new Map<string, number>();
  for (const id in record.tracks) {
    if (Object.hasOwn(record.tracks, id)) tracks.set(id, record.tracks[id] as number);
  }
  const views = new Map<string, number>();
  const recordViews = record.views ?? {};
  for (const id in recordViews) {
    if (Object.hasOwn(recordViews, id)) views.set(id, recordViews[id] as number);
  }
  return {
    artistId: record.artistId,
    capturedAt: record.capturedAt,
    capturedAtMs: record.at,
    source: record.source,
    tracks,
    artistStreams: record.artistStreams,
    followers: record.followers,
    views,
    ignoredTrackKeys: 0,
    ignoredKeys: [],
    ignoredVideoKeys: 0,
  };
}

/**
 * The snapshot's identity in its artist's inbox: a hash of what the rules read (artist, instant, every count), so
 * the same data sent twice — by a retrying client, two sources, or a file imported again — is one entry, applied
 * once. The `source` label and the order of keys do not count.
 */
export function snapshotFingerprint(record: SnapshotRecord): string {
  let canonical = `${record.artistId}\n${record.at}\n${record.artistStreams ?? ''}\n${record.followers ?? ''}`;
  for (const id of Object.keys(record.tracks).sort()) canonical += `\n${id}=${record.tracks[id]}`;
  // Views after a line no track id can be (ids are slugs), so a video and a track of one id never collide.
  const views = record.views ?? {};
  const videoIds = Object.keys(views).sort();
  if (videoIds.length > 0) canonical += '\n#views';
  for (const id of videoIds) canonical += `\n${id}=${views[id]}`;
  return hash('sha256', canonical, 'base64url').slice(0, 32);
}

/** A light structural check for a record read back from Redis (written by this program, so never user input). */
export function isSnapshotRecord(value: unknown): value is SnapshotRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.artistId === 'string' &&
    typeof r.capturedAt === 'string' &&
    Number.isSafeInteger(r.at) &&
    typeof r.tracks === 'object' &&
    r.tracks !== null
  );
}
