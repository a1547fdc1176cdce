import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, releaseFor } from '../../src/milestones/days.js';
import { smallConfig, trackingFrom } from '../helpers/engine-fixtures.js';

const layoverRelease = '2023-09-08T13:00:00+09:00';

describe('calendarDaysBetween (day counts)', () => {
  it('counts whole calendar days in the config timezone', () => {
    expect(calendarDaysBetween(layoverRelease, '2023-09-08T23:00:00+09:00', 'Asia/Seoul')).toBe(0);
    expect(calendarDaysBetween(layoverRelease, '2023-10-11T23:00:00+09:00', 'Asia/Seoul')).toBe(33);
    expect(calendarDaysBetween(layoverRelease, '2023-10-26T00:00:00+09:00', 'Asia/Seoul')).toBe(48);
  });

  it('turns the day at midnight in the config timezone, not in the offset the snapshot was written in', () => {
    expect(calendarDaysBetween(layoverRelease, '2023-10-10T14:59:59Z', 'Asia/Seoul')).toBe(32);
    expect(calendarDaysBetween(layoverRelease, '2023-10-10T15:00:00Z', 'Asia/Seoul')).toBe(33);
  });

  it('counts a New York late-evening snapshot by the Seoul date it already is (Oct 10, 23:30 EDT is Oct 11 in Seoul)', () => {
    expect(calendarDaysBetween(layoverRelease, '2023-10-10T23:30:00-04:00', 'Asia/Seoul')).toBe(33);
    expect(calendarDaysBetween(layoverRelease, '2023-10-10T23:30:00-04:00', 'America/New_York')).toBe(32);
  });

  it('counts calendar days, not 24-hour spans, across a spring-forward day', () => {
    // 2024-03-10 has 23 hours in New York: 00:30 EST to the next day 00:15 EDT is 22h45m but one day.
    expect(
      calendarDaysBetween('2024-03-10T00:30:00-05:00', '2024-03-11T00:15:00-04:00', 'America/New_York'),
    ).toBe(1);
    expect(
      calendarDaysBetween('2024-03-09T12:00:00-05:00', '2024-03-10T23:30:00-04:00', 'America/New_York'),
    ).toBe(1);
  });

  it('counts calendar days, not 24-hour spans, across a fall-back day', () => {
    // 2023-11-05 has 25 hours in New York: 00:30 EDT to 23:30 EST the same date is 24 hours but zero days.
    expect(
      calendarDaysBetween('2023-11-05T00:30:00-04:00', '2023-11-05T23:30:00-05:00', 'America/New_York'),
    ).toBe(0);
    expect(
      calendarDaysBetween('2023-11-04T23:30:00-04:00', '2023-11-06T00:10:00-05:00', 'America/New_York'),
    ).toBe(2);
  });

  it('counts across a leap day and a year end', () => {
    expect(calendarDaysBetween(layoverRelease, '2024-05-23T23:00:00+09:00', 'Asia/Seoul')).toBe(258);
    expect(calendarDaysBetween('2023-12-31T23:00:00+09:00', '2024-01-01T00:00:00+09:00', 'Asia/Seoul')).toBe(
      1,
    );
  });

  it('is negative before the release date', () => {
    expect(calendarDaysBetween(layoverRelease, '2023-09-07T23:00:00+09:00', 'Asia/Seoul')).toBe(-1);
  });
});

describe('releaseFor', () => {
  const config = smallConfig();
  config.albums.push({
    id: 'second',
    title: 'Second',
    releasedAt: '2024-03-15T13:00:00+09:00',
    tracks: [{ id: 'x', title: 'X' }],
  });
  const tracking = trackingFrom(config);
  const at = (iso: string) => Date.parse(iso);

  it("uses a track's own release, else its album's", () => {
    expect(releaseFor(tracking, 'track', 'first', 'pre', at('2023-10-01T00:00:00Z'))).toBe(
      '2023-08-11T13:00:00+09:00',
    );
    expect(releaseFor(tracking, 'track', 'first', 'b', at('2023-10-01T00:00:00Z'))).toBe(layoverRelease);
  });

  it("uses the album's release for album and allTracks, even if a track came out earlier", () => {
    expect(releaseFor(tracking, 'album', 'first', null, at('2023-10-01T00:00:00Z'))).toBe(layoverRelease);
    expect(releaseFor(tracking, 'allTracks', 'first', null, at('2023-10-01T00:00:00Z'))).toBe(layoverRelease);
  });

  it('uses the latest album released at or before capturedAt for artist and followers', () => {
    expect(releaseFor(tracking, 'artist', null, null, at('2024-03-15T03:59:59Z'))).toBe(layoverRelease);
    expect(releaseFor(tracking, 'artist', null, null, at('2024-03-15T04:00:00Z'))).toBe(
      '2024-03-15T13:00:00+09:00',
    );
    expect(releaseFor(tracking, 'followers', null, null, at('2025-01-01T00:00:00Z'))).toBe(
      '2024-03-15T13:00:00+09:00',
    );
  });

  it('is null for artist and followers before any album is out', () => {
    expect(releaseFor(tracking, 'artist', null, null, at('2023-09-08T03:59:59Z'))).toBeNull();
    expect(releaseFor(tracking, 'followers', null, null, at('2020-01-01T00:00:00Z'))).toBeNull();
  });
});
