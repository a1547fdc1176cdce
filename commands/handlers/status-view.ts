import { subjectKey } from '../../src/milestone-kinds.js';
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord-api-types/v10';
import { dateLabel } from '../../src/posts/dates.js';
import { groupDigits } from '../../src/posts/numbers.js';
import type { ReplyLanguage, Texts } from '../../src/platforms/discord/interactions/reply-language.js';
import { pageLines } from '../../src/platforms/discord/message-limits.js';
import type { ArtistStateView } from '../../src/state/artist-state.store.js';
import type { TrackedAlbum, Tracking } from '../../src/tracking/tracking.js';
import { progressBar, progressOf, subjectsOf, type SubjectProgress } from './progress.js';

/** Snapshots older than this make `why` and `status` say the data is stale. */
export const STALE_AFTER_MS = 36 * 3600_000;

/**
 * Characters of song lines per `/layover status` page: well inside the description's 4,096 (the album line and
 * a blank line come first) and the 6,000 of a whole message (title and footer are short).
 */
export const STATUS_PAGE_CHARS = 3500;

/** `custom_id` prefix of the page buttons: `layover:status:<albumId>:<page>`. */
const PAGE_PREFIX = 'layover:status:';

/** The status words. */
interface StatusTexts {
  readonly noPace: string;
  readonly perDay: string;
  readonly top: string;
  readonly next: string;
  readonly noData: string;
  readonly noTotal: string;
  readonly streams: (n: string) => string;
  readonly videos: string;
  readonly views: (n: string) => string;
  readonly asOf: string;
  readonly stale: string;
  readonly page: (n: number, of: number) => string;
  readonly previous: string;
  readonly following: string;
  /** A page button of an album that is no longer in the config. */
  readonly albumGone: string;
}

const words: Texts<StatusTexts> = {
  en: {
    noPace: 'no pace yet',
    perDay: '/day',
    top: 'top of the ladder',
    next: 'next',
    noData: 'no data yet',
    noTotal: 'no album total yet',
    streams: (n: string) => `${n} streams`,
    videos: '**YouTube views**',
    views: (n: string) => `${n} views`,
    asOf: 'Data as of',
    stale: ' (no newer snapshot has arrived)',
    page: (n: number, of: number) => `page ${n} of ${of}`,
    previous: '◀ Previous',
    following: 'Next ▶',
    albumGone: 'This album is no longer tracked.',
  },
  ko: {
    noPace: '증가량 정보 없음',
    perDay: '/일',
    top: '마지막 마일스톤',
    next: '다음',
    noData: '데이터 없음',
    noTotal: '앨범 합계 없음',
    streams: (n: string) => `${n}회 스트리밍`,
    videos: '**유튜브 조회수**',
    views: (n: string) => `조회수 ${n}회`,
    asOf: '데이터 기준',
    stale: ' (새 스냅샷이 오지 않았습니다)',
    page: (n: number, of: number) => `페이지 ${n}/${of}`,
    previous: '◀ 이전',
    following: '다음 ▶',
    albumGone: '더 이상 추적하지 않는 앨범입니다.',
  },
};

/** What a page button answers when its album is no longer tracked. */
export function albumGoneText(language: ReplyLanguage): string {
  return words[language].albumGone;
}

export function gainText(p: SubjectProgress, language: ReplyLanguage = 'en'): string {
  const w = words[language];
  return p.dailyGain === null ? w.noPace : `+${groupDigits(Math.max(0, Math.round(p.dailyGain)))}${w.perDay}`;
}

export function etaText(p: SubjectProgress, tracking: Tracking, language: ReplyLanguage = 'en'): string {
  const w = words[language];
  if (p.next === null) return w.top;
  return p.etaMs === null
    ? `${w.next} ${groupDigits(p.next)}`
    : `${w.next} ${groupDigits(p.next)} ≈ ${dateLabel(new Date(p.etaMs).toISOString(), tracking.timezone, language)}`;
}

/** The page button id for `page` of an album's status. */
export function statusPageId(albumId: string, page: number): string {
  return `${PAGE_PREFIX}${albumId}:${page}`;
}

/** `{ albumId, page }` from a page button id, or null when the id is not one. */
export function parseStatusPageId(customId: string): { albumId: string; page: number } | null {
  if (!customId.startsWith(PAGE_PREFIX)) return null;
  const match = /^(.+):(\d{1,4})$/.exec(customId.slice(PAGE_PREFIX.length));
  if (match === null) return null;
  return { albumId: match[1] as string, page: Number(match[2]) };
}

/** One page of an album's status: the embed (without image) and, with more than one page, the buttons. */
export interface StatusPage {
  readonly embed: APIEmbed;
  readonly page: number;
  readonly pageCount: number;
  readonly components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/**
 * Page `page` (0-based, clamped) of the status of `album`: its total, then one line per song, split into pages
 * that each fit Discord's limits, with Previous / Next buttons when there is more than one page.
 */
export function statusPage(
  tracking: Tracking,
  album: TrackedAlbum,
  view: ArtistStateView,
  options: { readonly page: number; readonly nowMs: number; readonly language?: ReplyLanguage },
): StatusPage {
  const language = options.language ?? 'en';
  const w = words[language];
  const title = (entry: { readonly title: string; readonly titleKo: string | undefined }) =>
    language === 'ko' ? (entry.titleKo ?? entry.title) : entry.title;
  const refs = subjectsOf(tracking, language);
  const at = (key: string) =>
    progressOf(
      tracking,
      refs.find((s) => s.key === key) ?? { key, kind: 'track', label: key },
      view.subjects.get(key),
      view.lastAppliedAt,
      view.previousAppliedAt,
    );
  const total = at(`album:${album.id}`);
  const lines = album.tracks.map((track) => {
    const p = at(`track:${track.id}`);
    if (p === null) return `**${title(track)}**: ${w.noData}`;
    return `**${title(track)}**: ${groupDigits(p.value)} · ${progressBar(p)} · ${gainText(p, language)} · ${etaText(p, tracking, language)}`;
  });
  // YouTube views of the album's videos (and of videos tied to no album), when views are tracked.
  const videos =
    tracking.ladders.views === undefined
      ? []
      : tracking.videos.filter((video) => video.albumId === album.id || video.albumId === null);
  if (videos.length > 0) {
    lines.push(w.videos);
    for (const video of videos) {
      const p = at(subjectKey('views', video.albumId, video.trackId, video.id));
      lines.push(
        p === null
          ? `**${video.title}**: ${w.noData}`
          : `**${video.title}**: ${w.views(groupDigits(p.value))} · ${progressBar(p)} · ${gainText(p, language)} · ${etaText(p, tracking, language)}`,
      );
    }
  }
  const pages = pageLines(lines, STATUS_PAGE_CHARS);
  const page = Math.min(Math.max(0, options.page), pages.length - 1);
  const stale = options.nowMs - (view.lastAppliedMs ?? 0) > STALE_AFTER_MS;
  const footer = [
    `${w.asOf} ${view.lastAppliedAt ?? '?'}${stale ? w.stale : ''}`,
    ...(pages.length > 1 ? [w.page(page + 1, pages.length)] : []),
  ].join(' · ');
  const embed: APIEmbed = {
    title: `${title(album)}: ${total === null ? w.noTotal : w.streams(groupDigits(total.value))}`,
    description: [
      ...(total === null
        ? []
        : [
            `${progressBar(total)} · ${gainText(total, language)} · ${etaText(total, tracking, language)}`,
            '',
          ]),
      ...(pages[page] ?? []),
    ].join('\n'),
    footer: { text: footer },
  };
  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] =
    pages.length <= 1
      ? []
      : [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                custom_id: statusPageId(album.id, Math.max(0, page - 1)),
                label: w.previous,
                disabled: page === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                custom_id: statusPageId(album.id, Math.min(pages.length - 1, page + 1)),
                label: w.following,
                disabled: page === pages.length - 1,
              },
            ],
          },
        ];
  return { embed, page, pageCount: pages.length, components };
}
