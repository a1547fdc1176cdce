import type { APIEmbed } from 'discord-api-types/v10';
import {
  BOARD_RATE_WINDOW_MS,
  type BoardBody,
  type BoardOptions,
} from '../../src/platforms/discord/board/board-body.js';
import type { HistoryPoint } from '../../src/milestones/history-point.js';
import { discordLength, fitLines, fitMessage } from '../../src/platforms/discord/message-limits.js';
import { groupDigits } from '../../src/posts/numbers.js';
import type { ArtistStateView } from '../../src/state/artist-state.store.js';
import type { TrackedAlbum, Tracking } from '../../src/tracking/tracking.js';
import { progressBar, progressOf, subjectsOf, type SubjectProgress } from './progress.js';
import { etaText, gainText, STALE_AFTER_MS } from './status-view.js';

const DAY_MS = 86_400_000;

/**
 * Characters of the board's description: Discord allows 4,096 in a description and 6,000 for a whole message; the
 * title and footer are short, so this leaves room for both.
 */
export const BOARD_DESCRIPTION_CHARS = 4000;

/** The board's words in each language. */
const words = {
  en: {
    title: (album: string) => `📊 ${album} · live`,
    total: 'Album total',
    noData: 'no data yet',
    nothingYet: 'No streaming data yet: the board fills in with the first snapshot.',
    more: (n: number) => `+${n} more songs`,
    asOf: 'Data as of',
    stale: ' (no newer snapshot has arrived)',
  },
  ko: {
    title: (album: string) => `📊 ${album} · 실시간 현황`,
    total: '앨범 합계',
    noData: '데이터 없음',
    nothingYet: '아직 스트리밍 데이터가 없습니다. 첫 스냅샷이 오면 채워집니다.',
    more: (n: number) => `외 ${n}곡`,
    asOf: '데이터 기준',
    stale: ' (새 스냅샷이 오지 않았습니다)',
  },
} as const;

/**
 * Gain per day of subject `key` over the recent history: from its oldest point within `windowMs` before its newest
 * point to that newest point. Null with fewer than two such points (or no time between them).
 */
export function recentDailyRate(
  points: readonly HistoryPoint[],
  key: string,
  windowMs: number = BOARD_RATE_WINDOW_MS,
): number | null {
  let newest: { at: number; value: number } | null = null;
  for (let i = points.length - 1; i >= 0 && newest === null; i -= 1) {
    const point = points[i] as HistoryPoint;
    const value = point.values[key];
    if (value !== undefined) newest = { at: Date.parse(point.at), value };
  }
  if (newest === null) return null;
  for (const point of points) {
    const value = point.values[key];
    const at = Date.parse(point.at);
    if (value === undefined || at < newest.at - windowMs) continue;
    const days = (newest.at - at) / DAY_MS;
    return days > 0 ? (newest.value - value) / days : null;
  }
  return null;
}

/**
 * `progress` with its pace taken from `rate` (gain per day) when it is known, and the ETA of its next milestone at
 * that pace, counted from `fromMs` (when the subject's value was captured). Without a rate, `progress` as it is.
 */
export function withRate(progress: SubjectProgress, rate: number | null, fromMs: number): SubjectProgress {
  if (rate === null) return progress;
  const etaMs =
    progress.next !== null && rate > 0 ? fromMs + ((progress.next - progress.value) / rate) * DAY_MS : null;
  return { ...progress, dailyGain: rate, etaMs };
}

/**
 * The live status board of `album`: the album total with its progress bar, pace and ETA, then each song's count,
 * its progress from the last milestone toward the next, its pace over the last week and the ETA at that pace.
 * Songs that do not fit in one embed end with "+N more songs"; the whole message stays within Discord's limits.
 */
export function boardMessage(
  tracking: Tracking,
  album: TrackedAlbum,
  view: ArtistStateView,
  history: readonly HistoryPoint[],
  options: BoardOptions,
): BoardBody {
  const w = words[options.language];
  const title = (entry: { readonly title: string; readonly titleKo: string | undefined }) =>
    options.language === 'ko' ? (entry.titleKo ?? entry.title) : entry.title;
  const refs = subjectsOf(tracking, options.language);
  const at = (key: string): SubjectProgress | null => {
    const subject = view.subjects.get(key);
    const progress = progressOf(
      tracking,
      refs.find((s) => s.key === key) ?? { key, kind: 'track', label: key },
      subject,
      view.lastAppliedAt,
      view.previousAppliedAt,
    );
    if (progress === null) return null;
    const fromMs = subject?.appliedAtMs ?? view.lastAppliedMs ?? options.nowMs;
    return withRate(progress, recentDailyRate(history, key), fromMs);
  };
  const detail = (p: SubjectProgress) =>
    `${progressBar(p)} · ${gainText(p, options.language)} · ${etaText(p, tracking, options.language)}`;

  const total = at(`album:${album.id}`);
  const head = total === null ? [] : [`**${w.total}**: ${groupDigits(total.value)}`, detail(total), ''];
  const songs = album.tracks.map((track) => {
    const p = at(`track:${track.id}`);
    return p === null
      ? `**${title(track)}**: ${w.noData}`
      : `**${title(track)}**: ${groupDigits(p.value)}\n${detail(p)}`;
  });
  const headText = head.join('\n');
  const description =
    view.lastAppliedAt === null
      ? w.nothingYet
      : `${headText}${head.length === 0 ? '' : '\n'}${fitLines(
          songs,
          BOARD_DESCRIPTION_CHARS - discordLength(headText) - 1,
          w.more,
        )}`;
  const stale = view.lastAppliedMs !== null && options.nowMs - view.lastAppliedMs > STALE_AFTER_MS;
  const embed: APIEmbed = {
    title: w.title(title(album)),
    description,
    ...(view.lastAppliedAt === null
      ? {}
      : { footer: { text: `${w.asOf} ${view.lastAppliedAt}${stale ? w.stale : ''}` } }),
    timestamp: new Date(options.nowMs).toISOString(),
  };
  return fitMessage({ embeds: [embed], allowed_mentions: { parse: [] as [] } });
}
