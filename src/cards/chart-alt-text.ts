import type { Milestone } from '../milestones/types.js';
import { dateLabel } from '../posts/dates.js';
import { countCompact, countWords } from '../posts/numbers.js';
import type { Language } from '../posts/types.js';
import type { TrackedAlbum, Tracking } from '../tracking/tracking.js';
import { altTextMax } from './card-text.js';

/** The last known value of each subject, and the period the chart covers. */
export interface ChartSummary {
  readonly album: TrackedAlbum;
  readonly firstAt: string | null;
  readonly lastAt: string | null;
  /** Subject key -> last value. */
  readonly latest: ReadonlyMap<string, number>;
  /** The milestones drawn, in time order. */
  readonly marked: readonly Milestone[];
}

const maxMilestonesNamed = 8;

function subjectTitle(m: Milestone, tracking: Tracking, album: TrackedAlbum): string {
  if (m.kind === 'track' && m.trackId !== null) return tracking.tracksById.get(m.trackId)?.title ?? m.trackId;
  return album.title;
}

/**
 * "Chart: cumulative Spotify streams of Layover and its 6 tracks, Sep 8, 2023 to Oct 26, 2023. Layover: 603.5 million.
 * Highest track: Slow Dancing, 150 million; lowest: Blue, 45 million. Milestones marked: …" (or the Korean).
 */
export function chartAltText(summary: ChartSummary, tracking: Tracking, language: Language): string {
  const { album, latest } = summary;
  const ko = language === 'ko';
  const tz = tracking.timezone;
  /** Observed counts: "1.83 billion" or "18억 3,348만" (Korean rounded down to 만). */
  const amount = (n: number): string => (ko ? countCompact(n, language) : countWords(n, language));
  const tracks = album.tracks.flatMap((t) => {
    const value = latest.get(`track:${t.id}`);
    return value === undefined ? [] : [{ title: t.title, value }];
  });
  const sorted = [...tracks].sort((a, b) => b.value - a.value);
  const parts: string[] = [];
  if (summary.firstAt === null || summary.lastAt === null) {
    parts.push(
      ko
        ? `차트: ${album.title} 누적 스포티파이 스트리밍. 아직 기록이 없어요.`
        : `Chart: cumulative Spotify streams of ${album.title}. No history yet.`,
    );
  } else {
    const from = dateLabel(summary.firstAt, tz, language);
    const to = dateLabel(summary.lastAt, tz, language);
    parts.push(
      ko
        ? `차트: ${album.title} 앨범과 수록곡 ${album.tracks.length}곡의 스포티파이 누적 스트리밍, ${from}부터 ${to}까지.`
        : `Chart: cumulative Spotify streams of ${album.title} and its ${album.tracks.length} tracks, ${from} to ${to}.`,
    );
    const albumValue = latest.get(`album:${album.id}`);
    if (albumValue !== undefined) parts.push(`${album.title}: ${amount(albumValue)}.`);
    const top = sorted[0];
    const low = sorted[sorted.length - 1];
    if (top !== undefined && low !== undefined && sorted.length > 1) {
      parts.push(
        ko
          ? `가장 많은 곡: ${top.title} ${amount(top.value)}, 가장 적은 곡: ${low.title} ${amount(low.value)}.`
          : `Highest track: ${top.title}, ${amount(top.value)}; lowest: ${low.title}, ${amount(low.value)}.`,
      );
    }
  }
  if (summary.marked.length > 0) {
    const named = summary.marked.slice(-maxMilestonesNamed).map((m) => {
      const when = dateLabel(m.observedAt, tz, language);
      const what = countWords(m.threshold, language);
      const subject =
        m.kind === 'allTracks' ? (ko ? '전곡' : 'every song') : subjectTitle(m, tracking, album);
      return ko ? `${subject} ${what} (${when})` : `${what} (${subject}, ${when})`;
    });
    const more = summary.marked.length - named.length;
    parts.push(
      ko
        ? `표시된 마일스톤: ${named.join(', ')}${more > 0 ? ` 외 ${more}개` : ''}.`
        : `Milestones marked: ${named.join(', ')}${more > 0 ? ` and ${more} earlier` : ''}.`,
    );
  }
  const text = parts.join(' ');
  return text.length <= altTextMax ? text : `${text.slice(0, altTextMax - 1)}…`;
}
