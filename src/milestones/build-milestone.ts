import type { NormalizedSnapshot } from '../snapshots/normalize-snapshot.js';
import type { Tracking } from '../tracking/tracking.js';
import { calendarDaysBetween, releaseFor } from './days.js';
import { kindScope } from '../milestone-kinds.js';
import type { BrokenRecord, Milestone, SubjectReading } from './types.js';

/** `<artistId>/<subjectKey>/<threshold>`: a milestone is announced at most once, so this is unique. */
export function milestoneId(artistId: string, subjectKey: string, threshold: number): string {
  return `${artistId}/${subjectKey}/${threshold}`;
}

/** The record with the same kind and threshold (and album, when given) that this beats. */
export function brokenRecord(
  tracking: Tracking,
  reading: Pick<SubjectReading, 'kind' | 'albumId'>,
  threshold: number,
  days: number | null,
): BrokenRecord | null {
  if (days === null) return null;
  let best: BrokenRecord | null = null;
  for (const record of tracking.records) {
    if (record.kind !== reading.kind || record.threshold !== threshold) continue;
    if (record.albumId !== undefined && record.albumId !== reading.albumId) continue;
    if (record.days <= days) continue;
    if (best === null || record.days < best.previousDays) {
      best = { title: record.title, holder: record.holder, previousDays: record.days };
    }
  }
  return best;
}

export function buildMilestone(
  tracking: Tracking,
  snapshot: NormalizedSnapshot,
  reading: SubjectReading,
  threshold: number,
): Milestone {
  const release = releaseFor(
    tracking,
    reading.kind,
    reading.albumId,
    reading.trackId,
    snapshot.capturedAtMs,
    reading.videoId,
  );
  const days = release === null ? null : calendarDaysBetween(release, snapshot.capturedAt, tracking.timezone);
  return {
    id: milestoneId(tracking.artist.id, reading.key, threshold),
    artistId: tracking.artist.id,
    kind: reading.kind,
    albumId: kindScope(reading.kind) === 'artist' ? null : reading.albumId,
    trackId: reading.trackId,
    videoId: reading.videoId,
    threshold,
    value: reading.value,
    observedAt: snapshot.capturedAt,
    daysSinceRelease: days,
    lastTrackId: reading.lastTrackId,
    record: brokenRecord(tracking, reading, threshold, days),
  };
}
