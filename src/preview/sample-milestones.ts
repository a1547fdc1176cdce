import { DateTime } from 'luxon';
import { brokenRecord, milestoneId } from '../milestones/build-milestone.js';
import { calendarDaysBetween } from '../milestones/days.js';
import { nextThresholdAbove } from '../milestones/ladder.js';
import { kindScope, milestoneKinds, subjectKey } from '../milestone-kinds.js';
import type { Milestone, MilestoneKind } from '../milestones/types.js';
import type { HistoryPoint } from '../milestones/history-point.js';
import type { TrackedAlbum, Tracking } from '../tracking/tracking.js';

/**
 * SAMPLE data for `npm run preview`: milestones and a history that look like what the bot will announce for a
 * config, built from its ladders and records. Nothing here is a measured count.
 */

/** Which rung of a ladder a sample sits on: the 5th threshold (50M on a 10M ladder, 500M on a 100M one). */
const sampleRung = 5;
const sampleDays = 30;

function nthThreshold(tracking: Tracking, kind: MilestoneKind, n: number): number | null {
  const ladder = tracking.ladders[kind];
  if (ladder === undefined) return null;
  let threshold = 0;
  for (let i = 0; i < n; i += 1) {
    const next = nextThresholdAbove(ladder, threshold);
    if (next === null) break;
    threshold = next;
  }
  return threshold === 0 ? null : threshold;
}

function latestAlbum(tracking: Tracking): TrackedAlbum {
  const album = tracking.albumsByRelease[tracking.albumsByRelease.length - 1];
  if (album === undefined) throw new RangeError('the tracking config has no album');
  return album;
}

/** 23:00 local time `days` calendar days after `releasedAt`, as ISO with offset. */
function dayAfter(releasedAt: string, days: number, timezone: string): string {
  const local = DateTime.fromISO(releasedAt, { zone: timezone })
    .startOf('day')
    .plus({ days })
    .set({ hour: 23 });
  return local.toISO({ suppressMilliseconds: true }) ?? releasedAt;
}

interface Subject {
  readonly key: string;
  readonly albumId: string | null;
  readonly trackId: string | null;
  readonly videoId: string | null;
  readonly releasedAt: string;
  readonly lastTrackId: string | null;
}

function subjectFor(tracking: Tracking, kind: MilestoneKind, album: TrackedAlbum): Subject | null {
  const track = album.tracks[0];
  switch (kindScope(kind)) {
    case 'video': {
      // The first configured video; with none, there is nothing to word a views milestone about.
      const video = tracking.videos[0];
      if (video === undefined) return null;
      return {
        key: subjectKey(kind, null, null, video.id),
        albumId: video.albumId,
        trackId: video.trackId,
        videoId: video.id,
        releasedAt: video.releasedAt,
        lastTrackId: null,
      };
    }
    case 'track':
      return {
        key: subjectKey(kind, album.id, track?.id ?? null),
        albumId: album.id,
        trackId: track?.id ?? null,
        videoId: null,
        releasedAt: track?.releasedAt ?? album.releasedAt,
        lastTrackId: null,
      };
    case 'album':
      return {
        key: subjectKey(kind, album.id, null),
        albumId: album.id,
        trackId: null,
        videoId: null,
        releasedAt: album.releasedAt,
        lastTrackId: kind === 'allTracks' ? (album.tracks[album.tracks.length - 1]?.id ?? null) : null,
      };
    case 'artist':
      return {
        key: subjectKey(kind, null, null),
        albumId: null,
        trackId: null,
        videoId: null,
        releasedAt: album.releasedAt,
        lastTrackId: null,
      };
  }
}

function sampleMilestone(
  tracking: Tracking,
  kind: MilestoneKind,
  album: TrackedAlbum,
  threshold: number,
  days: number,
): Milestone | null {
  const subject = subjectFor(tracking, kind, album);
  if (subject === null) return null;
  const observedAt = dayAfter(subject.releasedAt, days, tracking.timezone);
  const exactDays = calendarDaysBetween(subject.releasedAt, observedAt, tracking.timezone);
  return {
    id: milestoneId(tracking.artist.id, subject.key, threshold),
    artistId: tracking.artist.id,
    kind,
    albumId: subject.albumId,
    trackId: subject.trackId,
    videoId: subject.videoId,
    threshold,
    value: threshold + Math.round(threshold * 0.004),
    observedAt,
    daysSinceRelease: exactDays,
    lastTrackId: subject.lastTrackId,
    record: brokenRecord(tracking, { kind, albumId: subject.albumId }, threshold, exactDays),
  };
}

/**
 * One sample milestone per kind the config has a ladder for (the 5th threshold, 30 days in, on the latest album
 * and its first track). A configured record replaces its kind's sample with one that breaks it (its threshold, in
 * about 57% of its days), so that the samples never contradict each other on a chart.
 */
export function sampleMilestones(tracking: Tracking): Milestone[] {
  const album = latestAlbum(tracking);
  const byKind = new Map<MilestoneKind, Milestone>();
  for (const kind of milestoneKinds) {
    const threshold = nthThreshold(tracking, kind, sampleRung);
    const sample = threshold === null ? null : sampleMilestone(tracking, kind, album, threshold, sampleDays);
    if (sample !== null) byKind.set(kind, sample);
  }
  for (const record of tracking.records) {
    if (tracking.ladders[record.kind] === undefined || record.days < 1) continue;
    if ((byKind.get(record.kind)?.record ?? null) !== null) continue;
    const recordAlbum =
      record.albumId === undefined ? album : (tracking.albumsById.get(record.albumId) ?? album);
    const days = Math.min(record.days - 1, Math.round(record.days * 0.57));
    const sample = sampleMilestone(tracking, record.kind, recordAlbum, record.threshold, days);
    if (sample !== null) byKind.set(record.kind, sample);
  }
  return milestoneKinds.flatMap((kind) => {
    const sample = byKind.get(kind);
    return sample === undefined ? [] : [sample];
  });
}

/**
 * A daily SAMPLE history of `album` and its tracks (23:00 local each day) from release until ten days after its
 * last sample milestone, growing like a real release (fast, then slower): the album's total reaches its sample
 * milestone's value on that milestone's day; tracks share it in falling proportions.
 */
export function sampleHistory(
  tracking: Tracking,
  album: TrackedAlbum,
  milestones: readonly Milestone[],
): HistoryPoint[] {
  const ofAlbum = milestones.filter(
    (m) => m.albumId === album.id && m.videoId === null && m.daysSinceRelease !== null,
  );
  const anchor = ofAlbum.find((m) => m.kind === 'album') ?? ofAlbum[0];
  const anchorDay = Math.max(1, anchor?.daysSinceRelease ?? sampleDays);
  const anchorValue = anchor?.kind === 'album' ? anchor.value : 100_000_000 * album.tracks.length;
  const lastDay = Math.max(anchorDay, ...ofAlbum.map((m) => m.daysSinceRelease ?? 0)) + 10;
  const weights = album.tracks.map((_, i) => 1 / (i + 1.5));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const points: HistoryPoint[] = [];
  for (let day = 0; day <= lastDay; day += 1) {
    const total = Math.round(anchorValue * ((day + 1) / (anchorDay + 1)) ** 0.8);
    const values: Record<string, number> = {};
    let sum = 0;
    album.tracks.forEach((track, i) => {
      const value = Math.round((total * (weights[i] ?? 0)) / weightSum);
      values[`track:${track.id}`] = value;
      sum += value;
    });
    values[`album:${album.id}`] = sum;
    points.push({ at: dayAfter(album.releasedAt, day, tracking.timezone), values });
  }
  return points;
}
