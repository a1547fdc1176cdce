import { DateTime } from 'luxon';
import { latestAlbumReleasedBy, type Tracking } from '../tracking/tracking.js';
import { kindScope, type MilestoneKind } from '../milestone-kinds.js';

/**
 * Whole calendar days from the release date to the snapshot's date, both taken in `timezone`.
 * Negative when the snapshot's date is before the release date.
 */
export function calendarDaysBetween(releasedAt: string, capturedAt: string, timezone: string): number {
  const from = DateTime.fromISO(releasedAt, { setZone: true }).setZone(timezone);
  const to = DateTime.fromISO(capturedAt, { setZone: true }).setZone(timezone);
  // Compare the two local dates as UTC dates so that DST and offset changes cannot bend the count.
  const fromDay = Date.UTC(from.year, from.month - 1, from.day);
  const toDay = Date.UTC(to.year, to.month - 1, to.day);
  return Math.round((toDay - fromDay) / 86_400_000);
}

/** The release date a milestone of this subject counts from (rule 6 of docs/configuration.md), or null when there is none. */
export function releaseFor(
  tracking: Tracking,
  kind: MilestoneKind,
  albumId: string | null,
  trackId: string | null,
  capturedAtMs: number,
  videoId: string | null = null,
): string | null {
  switch (kindScope(kind)) {
    case 'video':
      return videoId === null ? null : (tracking.videosById.get(videoId)?.releasedAt ?? null);
    case 'track':
      return trackId === null ? null : (tracking.tracksById.get(trackId)?.releasedAt ?? null);
    case 'album':
      return albumId === null ? null : (tracking.albumsById.get(albumId)?.releasedAt ?? null);
    case 'artist':
      return latestAlbumReleasedBy(tracking, capturedAtMs)?.releasedAt ?? null;
  }
}
