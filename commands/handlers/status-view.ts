import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord-api-types/v10';
import { dateLabel } from '../../src/posts/dates.js';
import { groupDigits } from '../../src/posts/numbers.js';
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

export function gainText(p: SubjectProgress): string {
  return p.dailyGain === null ? 'no pace yet' : `+${groupDigits(Math.max(0, Math.round(p.dailyGain)))}/day`;
}

export function etaText(p: SubjectProgress, tracking: Tracking): string {
  if (p.next === null) return 'top of the ladder';
  return p.etaMs === null
    ? `next ${groupDigits(p.next)}`
    : `next ${groupDigits(p.next)} ≈ ${dateLabel(new Date(p.etaMs).toISOString(), tracking.timezone, 'en')}`;
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
  options: { readonly page: number; readonly nowMs: number },
): StatusPage {
  const refs = subjectsOf(tracking);
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
    if (p === null) return `**${track.title}**: no data yet`;
    return `**${track.title}**: ${groupDigits(p.value)} · ${progressBar(p)} · ${gainText(p)} · ${etaText(p, tracking)}`;
  });
  const pages = pageLines(lines, STATUS_PAGE_CHARS);
  const page = Math.min(Math.max(0, options.page), pages.length - 1);
  const stale = options.nowMs - (view.lastAppliedMs ?? 0) > STALE_AFTER_MS;
  const footer = [
    `Data as of ${view.lastAppliedAt ?? '?'}${stale ? ' (no newer snapshot has arrived)' : ''}`,
    ...(pages.length > 1 ? [`page ${page + 1} of ${pages.length}`] : []),
  ].join(' · ');
  const embed: APIEmbed = {
    title: `${album.title}: ${total === null ? 'no album total yet' : `${groupDigits(total.value)} streams`}`,
    description: [
      ...(total === null
        ? []
        : [`${progressBar(total)} · ${gainText(total)} · ${etaText(total, tracking)}`, '']),
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
                label: '◀ Previous',
                disabled: page === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                custom_id: statusPageId(album.id, Math.min(pages.length - 1, page + 1)),
                label: 'Next ▶',
                disabled: page === pages.length - 1,
              },
            ],
          },
        ];
  return { embed, page, pageCount: pages.length, components };
}
