import type { NormalizedSnapshot } from '../snapshots/normalize-snapshot.js';
import type { Tracking } from '../tracking/tracking.js';
import { subjectKey } from '../milestone-kinds.js';
import { thresholdAtOrBelow } from './ladder.js';
import type { SubjectReading } from './types.js';

/**
 * Every subject the snapshot speaks about whose kind has a ladder, in announcement order:
 * per album its total then its all-tracks floor, then the artist total, then tracks (album order), then followers,
 * then videos (config order).
 * Album and allTracks readings exist only when the snapshot holds every track of that album (rule 1 of docs/configuration.md).
 */
export function readSubjects(tracking: Tracking, snapshot: NormalizedSnapshot): SubjectReading[] {
  const { ladders } = tracking;
  const readings: SubjectReading[] = [];
  for (const album of tracking.albums) {
    if (ladders.album === undefined && ladders.allTracks === undefined) break;
    let total = 0;
    let lowest = Number.POSITIVE_INFINITY;
    let lowestId: string | null = null;
    let complete = true;
    for (const track of album.tracks) {
      const count = snapshot.tracks.get(track.id);
      if (count === undefined) {
        complete = false;
        break;
      }
      total += count;
      if (count < lowest || (count === lowest && lowestId !== null && track.id < lowestId)) {
        lowest = count;
        lowestId = track.id;
      }
    }
    if (!complete) continue;
    if (ladders.album !== undefined) {
      const value = Math.min(total, Number.MAX_SAFE_INTEGER);
      readings.push({
        key: subjectKey('album', album.id, null),
        kind: 'album',
        albumId: album.id,
        trackId: null,
        value,
        floor: thresholdAtOrBelow(ladders.album, value),
        lastTrackId: null,
        videoId: null,
      });
    }
    if (ladders.allTracks !== undefined) {
      readings.push({
        key: subjectKey('allTracks', album.id, null),
        kind: 'allTracks',
        albumId: album.id,
        trackId: null,
        value: lowest,
        floor: thresholdAtOrBelow(ladders.allTracks, lowest),
        lastTrackId: lowestId,
        videoId: null,
      });
    }
  }
  if (ladders.artist !== undefined && snapshot.artistStreams !== undefined) {
    readings.push({
      key: subjectKey('artist', null, null),
      kind: 'artist',
      albumId: null,
      trackId: null,
      value: snapshot.artistStreams,
      floor: thresholdAtOrBelow(ladders.artist, snapshot.artistStreams),
      lastTrackId: null,
      videoId: null,
    });
  }
  if (ladders.track !== undefined) {
    for (const album of tracking.albums) {
      for (const track of album.tracks) {
        const count = snapshot.tracks.get(track.id);
        if (count === undefined) continue;
        readings.push({
          key: subjectKey('track', album.id, track.id),
          kind: 'track',
          albumId: album.id,
          trackId: track.id,
          value: count,
          floor: thresholdAtOrBelow(ladders.track, count),
          lastTrackId: null,
          videoId: null,
        });
      }
    }
  }
  if (ladders.followers !== undefined && snapshot.followers !== undefined) {
    readings.push({
      key: subjectKey('followers', null, null),
      kind: 'followers',
      albumId: null,
      trackId: null,
      value: snapshot.followers,
      floor: thresholdAtOrBelow(ladders.followers, snapshot.followers),
      lastTrackId: null,
      videoId: null,
    });
  }
  if (ladders.views !== undefined) {
    for (const video of tracking.videos) {
      const count = snapshot.views.get(video.id);
      if (count === undefined) continue;
      readings.push({
        key: subjectKey('views', null, null, video.id),
        kind: 'views',
        albumId: video.albumId,
        trackId: video.trackId,
        videoId: video.id,
        value: count,
        floor: thresholdAtOrBelow(ladders.views, count),
        lastTrackId: null,
      });
    }
  }
  return readings;
}
