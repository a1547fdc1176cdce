import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../src/milestones/history-point.js';
import {
  BOARD_DESCRIPTION_CHARS,
  boardMessage,
  recentDailyRate,
  withRate,
} from '../../commands/handlers/board-view.js';
import type { SubjectProgress } from '../../commands/handlers/progress.js';
import { discordLength } from '../../src/platforms/discord/message-limits.js';
import type { ArtistStateView, SubjectView } from '../../src/state/artist-state.store.js';
import type { TrackedAlbum, Tracking } from '../../src/tracking/tracking.js';
import { smallConfig, trackingFrom } from '../helpers/engine-fixtures.js';

const DAY = 86_400_000;
const t0 = Date.parse('2023-10-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function subject(value: number, reached: number, previousValue: number | null, atMs: number): SubjectView {
  return { value, reached, previousValue, decision: 'below', appliedAtMs: atMs };
}

function stateView(
  subjects: Record<string, SubjectView>,
  lastMs: number,
  previousMs: number,
): ArtistStateView {
  return {
    lastAppliedMs: lastMs,
    lastAppliedAt: iso(lastMs),
    previousAppliedAt: iso(previousMs),
    subjects: new Map(Object.entries(subjects)),
    waiting: 0,
    version: 'v1',
  };
}

const point = (ms: number, values: Record<string, number>): HistoryPoint => ({ at: iso(ms), values });

describe('recentDailyRate', () => {
  it('is the gain per day from the oldest point of the window to the newest one carrying the subject', () => {
    const points = [
      point(t0 - 10 * DAY, { 'track:b': 0 }),
      point(t0, { 'track:b': 100 }),
      point(t0 + 2 * DAY, { 'track:c': 5 }),
      point(t0 + 4 * DAY, { 'track:b': 500 }),
      point(t0 + 5 * DAY, { 'track:c': 9 }),
    ];
    // The week before t0+4d starts after t0-10d: from t0 (100) to t0+4d (500).
    expect(recentDailyRate(points, 'track:b')).toBe(100);
    expect(recentDailyRate(points, 'track:c')).toBeCloseTo(4 / 3);
    // A longer window reaches the first point.
    expect(recentDailyRate(points, 'track:b', 30 * DAY)).toBeCloseTo(500 / 14);
  });

  it('is null with fewer than two points for the subject, and negative after a dip', () => {
    expect(recentDailyRate([], 'track:b')).toBeNull();
    expect(recentDailyRate([point(t0, { 'track:b': 1 })], 'track:b')).toBeNull();
    expect(
      recentDailyRate([point(t0, { 'track:c': 1 }), point(t0 + DAY, { 'track:c': 2 })], 'track:b'),
    ).toBeNull();
    expect(
      recentDailyRate([point(t0, { 'track:b': 10 }), point(t0 + DAY, { 'track:b': 8 })], 'track:b'),
    ).toBe(-2);
  });
});

describe('withRate', () => {
  const progress: SubjectProgress = {
    key: 'track:b',
    kind: 'track',
    label: 'B',
    value: 45,
    previous: 40,
    next: 50,
    dailyGain: 1,
    etaMs: null,
  };

  it('sets the pace and the ETA of the next milestone at that pace', () => {
    const p = withRate(progress, 2, t0);
    expect(p.dailyGain).toBe(2);
    expect(p.etaMs).toBe(t0 + 2.5 * DAY);
  });

  it('keeps the progress without a rate, and has no ETA without a gain or past the ladder', () => {
    expect(withRate(progress, null, t0)).toBe(progress);
    expect(withRate(progress, 0, t0).etaMs).toBeNull();
    expect(withRate(progress, -3, t0).etaMs).toBeNull();
    expect(withRate({ ...progress, next: null }, 2, t0).etaMs).toBeNull();
  });
});

describe('boardMessage', () => {
  const tracking = trackingFrom(smallConfig());
  const album = tracking.albums[0] as TrackedAlbum;
  const last = t0 + 3 * DAY;
  const view = stateView(
    {
      'album:first': subject(246, 200, 236, last),
      'track:pre': subject(95, 90, 92, last),
      'track:b': subject(75, 70, 72, last),
      'track:c': subject(76, 70, 72, last),
    },
    last,
    last - DAY,
  );
  // Over the history's last week "pre" gained 2/day (89 -> 95 in 3 days); "b" and "c" have one point only.
  const history = [
    point(t0, { 'track:pre': 89, 'album:first': 230 }),
    point(last, { 'track:pre': 95, 'track:b': 75, 'track:c': 76, 'album:first': 246 }),
  ];

  it('shows the album total and each song with a bar from its last milestone toward the next, pace and ETA', () => {
    const body = boardMessage(tracking, album, view, history, { nowMs: last + 3600_000, language: 'en' });
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('📊 First · live');
    const lines = (embed.description ?? '').split('\n');
    expect(lines[0]).toBe('**Album total**: 246');
    // Album: 246 between 200 and 300; pace from the history, 16 over 3 days.
    expect(lines[1]).toMatch(/^▰▰▰▰▱▱▱▱▱▱ 46% · \+5\/day · next 300 ≈ /);
    // "pre": 95 between 90 and 100 (50%), 2 a day over the week: 100 in 2.5 days, on October 6 in Seoul.
    expect(lines).toContain('**Pre**: 95');
    expect(lines).toContain('▰▰▰▰▰▱▱▱▱▱ 50% · +2/day · next 100 ≈ Oct 6, 2023');
    // "b": one history point, so the pace of the last two snapshots (72 -> 75 in a day).
    expect(lines).toContain('**B**: 75');
    expect(lines).toContain('▰▰▰▰▰▱▱▱▱▱ 50% · +3/day · next 80 ≈ Oct 6, 2023');
    expect(embed.footer?.text).toBe(`Data as of ${iso(last)}`);
    expect(embed.timestamp).toBe(iso(last + 3600_000));
  });

  it('is written in Korean for a Korean board, and says when no data has arrived', () => {
    const ko = boardMessage(tracking, album, view, history, { nowMs: last, language: 'ko' });
    expect(ko.embeds[0]!.title).toBe('📊 First · 실시간 현황');
    expect(ko.embeds[0]!.description).toContain('**앨범 합계**: 246');
    expect(ko.embeds[0]!.description).toContain('+2/일 · 다음 100 ≈ 2023년 10월 6일');
    const empty: ArtistStateView = {
      lastAppliedMs: null,
      lastAppliedAt: null,
      previousAppliedAt: null,
      version: '',
      subjects: new Map(),
      waiting: 0,
    };
    const none = boardMessage(tracking, album, empty, [], { nowMs: last, language: 'en' });
    expect(none.embeds[0]!.description).toBe(
      'No streaming data yet: the board fills in with the first snapshot.',
    );
    expect(none.embeds[0]!.footer).toBeUndefined();
  });

  it('says the data is stale after 36 hours without a snapshot', () => {
    const body = boardMessage(tracking, album, view, history, {
      nowMs: last + 37 * 3600_000,
      language: 'en',
    });
    expect(body.embeds[0]!.footer?.text).toBe(`Data as of ${iso(last)} (no newer snapshot has arrived)`);
  });

  it('stays within Discord’s limits for an album of many long titles, ending with "+N more songs"', () => {
    const config = smallConfig();
    const tracks = Array.from({ length: 80 }, (_, i) => ({
      id: `t${i}`,
      title: `A very long song title number ${i} (feat. Someone With A Long Name) [Extended Remix]`,
    }));
    const big: Tracking = trackingFrom({ ...config, albums: [{ ...config.albums[0]!, tracks }] });
    const subjects = Object.fromEntries(
      tracks.map((t) => [`track:${t.id}`, subject(1_234_567_891, 1_200_000_000, 1_230_000_000, last)]),
    );
    const body = boardMessage(big, big.albums[0]!, stateView(subjects, last, last - DAY), [], {
      nowMs: last,
      language: 'en',
    });
    const description = body.embeds[0]!.description ?? '';
    expect(discordLength(description)).toBeLessThanOrEqual(BOARD_DESCRIPTION_CHARS);
    expect(description).toMatch(/\n\+\d+ more songs$/);
    const total =
      discordLength(body.embeds[0]!.title ?? '') +
      discordLength(description) +
      discordLength(body.embeds[0]!.footer?.text ?? '');
    expect(total).toBeLessThanOrEqual(6000);
  });
});
