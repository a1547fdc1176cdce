import type { APIEmbed } from 'discord-api-types/v10';
import type { HistoryPoint } from '../../../milestones/history-point.js';
import type { Language } from '../../../language.js';
import type { ArtistStateView } from '../../../state/artist-state.store.js';
import type { TrackedAlbum, Tracking } from '../../../tracking/tracking.js';

/** How far back the board's daily rate looks: the week before a subject's newest point. */
export const BOARD_RATE_WINDOW_MS = 7 * 86_400_000;

export interface BoardOptions {
  /** Epoch ms now: the embed's timestamp (when the board was last written) and the staleness check. */
  readonly nowMs: number;
  readonly language: Language;
}

/** The body of a board message (for both the post and its edits). */
export interface BoardBody {
  readonly embeds: APIEmbed[];
  /** A board pings nobody. */
  readonly allowed_mentions: { readonly parse: [] };
}

/**
 * Builds a board's message from the artist's state and its recent stream history. The wording lives with the
 * other command views (commands/handlers/board-view.ts); the wiring hands it to the board service.
 */
export type BoardView = (
  tracking: Tracking,
  album: TrackedAlbum,
  view: ArtistStateView,
  history: readonly HistoryPoint[],
  options: BoardOptions,
) => BoardBody;
