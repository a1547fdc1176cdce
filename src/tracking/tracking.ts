import { DateTime } from 'luxon';
import type { Ladder, MilestoneKind, RecordEntry, TrackingConfigData } from './schema.js';

/** A YouTube video whose views are tracked, with what it belongs to resolved. */
export interface TrackedVideo {
  readonly id: string;
  readonly title: string;
  readonly youtubeId: string;
  /** The song it belongs to, if any. */
  readonly trackId: string | null;
  /** The album it belongs to: its own `albumId`, else its song's album; null for neither. */
  readonly albumId: string | null;
  /** ISO date-time as written in the config: the video's days count from here. */
  readonly releasedAt: string;
  readonly releasedAtMs: number;
}

/** A track with its release resolved (its own `releasedAt`, else its album's). */
export interface TrackedTrack {
  readonly id: string;
  readonly title: string;
  /** The Korean title, when the config gives one. */
  readonly titleKo: string | undefined;
  readonly albumId: string;
  /** The first of {@link spotifyIds}, if any. */
  readonly spotifyId: string | undefined;
  /** Every Spotify id of the song (`spotifyId`, then `spotifyIds`); empty when the config gives none. */
  readonly spotifyIds: readonly string[];
  /** ISO date-time as written in the config. */
  readonly releasedAt: string;
  readonly releasedAtMs: number;
}

export interface TrackedAlbum {
  readonly id: string;
  readonly title: string;
  /** The Korean title, when the config gives one. */
  readonly titleKo: string | undefined;
  readonly spotifyId: string | undefined;
  readonly releasedAt: string;
  readonly releasedAtMs: number;
  /** In album order. */
  readonly tracks: readonly TrackedTrack[];
}

/**
 * A validated tracking config with the look-ups the rules engine needs.
 * Built once at start-up by {@link buildTracking}; immutable afterwards.
 */
export interface Tracking {
  readonly artist: TrackingConfigData['artist'];
  readonly timezone: string;
  readonly albums: readonly TrackedAlbum[];
  readonly ladders: { readonly [K in MilestoneKind]?: Ladder | undefined };
  readonly records: readonly RecordEntry[];
  /** Track id -> track. */
  readonly tracksById: ReadonlyMap<string, TrackedTrack>;
  /** Track id or Spotify track id -> track id. */
  readonly trackKeyToId: ReadonlyMap<string, string>;
  readonly albumsById: ReadonlyMap<string, TrackedAlbum>;
  /** Albums sorted by release, oldest first (for "latest album released at or before"). */
  readonly albumsByRelease: readonly TrackedAlbum[];
  /** Configured videos, in config order (empty when there are none). */
  readonly videos: readonly TrackedVideo[];
  /** Video id -> video. */
  readonly videosById: ReadonlyMap<string, TrackedVideo>;
  /** Video id or YouTube id -> video id (the keys of a snapshot's `views`). */
  readonly videoKeyToId: ReadonlyMap<string, string>;
}

function toMs(iso: string): number {
  return DateTime.fromISO(iso, { setZone: true }).toMillis();
}

export function buildTracking(config: TrackingConfigData): Tracking {
  const tracksById = new Map<string, TrackedTrack>();
  const trackKeyToId = new Map<string, string>();
  const albumsById = new Map<string, TrackedAlbum>();
  const albums = config.albums.map((album): TrackedAlbum => {
    const tracks = album.tracks.map((track): TrackedTrack => {
      const releasedAt = track.releasedAt ?? album.releasedAt;
      const spotifyIds = [
        ...(track.spotifyId === undefined ? [] : [track.spotifyId]),
        ...(track.spotifyIds ?? []),
      ];
      const tracked: TrackedTrack = {
        id: track.id,
        title: track.title,
        titleKo: track.titleKo,
        albumId: album.id,
        spotifyId: spotifyIds[0],
        spotifyIds,
        releasedAt,
        releasedAtMs: toMs(releasedAt),
      };
      tracksById.set(track.id, tracked);
      trackKeyToId.set(track.id, track.id);
      for (const spotifyId of spotifyIds) trackKeyToId.set(spotifyId, track.id);
      return tracked;
    });
    const tracked: TrackedAlbum = {
      id: album.id,
      title: album.title,
      titleKo: album.titleKo,
      spotifyId: album.spotifyId,
      releasedAt: album.releasedAt,
      releasedAtMs: toMs(album.releasedAt),
      tracks,
    };
    albumsById.set(album.id, tracked);
    return tracked;
  });
  const videosById = new Map<string, TrackedVideo>();
  const videoKeyToId = new Map<string, string>();
  const videos = (config.videos ?? []).map((video): TrackedVideo => {
    const trackId = video.trackId ?? null;
    const tracked: TrackedVideo = {
      id: video.id,
      title: video.title,
      youtubeId: video.youtubeId,
      trackId,
      albumId: video.albumId ?? (trackId === null ? null : (tracksById.get(trackId)?.albumId ?? null)),
      releasedAt: video.releasedAt,
      releasedAtMs: toMs(video.releasedAt),
    };
    videosById.set(video.id, tracked);
    videoKeyToId.set(video.id, video.id);
    videoKeyToId.set(video.youtubeId, video.id);
    return tracked;
  });
  return {
    artist: config.artist,
    timezone: config.timezone,
    albums,
    ladders: config.milestones,
    records: config.records ?? [],
    tracksById,
    trackKeyToId,
    albumsById,
    albumsByRelease: [...albums].sort((a, b) => a.releasedAtMs - b.releasedAtMs),
    videos,
    videosById,
    videoKeyToId,
  };
}

/** The latest album released at or before `atMs` (the day-count reference for artist and followers), if any. */
export function latestAlbumReleasedBy(tracking: Tracking, atMs: number): TrackedAlbum | undefined {
  let latest: TrackedAlbum | undefined;
  for (const album of tracking.albumsByRelease) {
    if (album.releasedAtMs > atMs) break;
    latest = album;
  }
  return latest;
}
