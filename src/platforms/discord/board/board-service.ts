import { BOARD_RATE_WINDOW_MS, type BoardBody, type BoardView } from './board-body.js';
import { errorMessage } from '../../../error-message.js';
import type { Logger } from '../../../logger.js';
import type { Language } from '../../../posts/types.js';
import type { ArtistStateStore } from '../../../state/artist-state.store.js';
import type { BoardRegistration, BoardStore } from '../../../state/board.store.js';
import type { StreamHistoryStore } from '../../../state/stream-history.store.js';
import type { Tracking } from '../../../tracking/tracking.js';
import type { BoardMessages } from './board-messages.js';

export interface BoardServiceDeps {
  readonly store: BoardStore;
  readonly messages: BoardMessages;
  /** Words the board (commands/handlers/board-view.ts, handed in by the wiring). */
  readonly view: BoardView;
  readonly artistState: ArtistStateStore;
  readonly history: StreamHistoryStore;
  readonly trackings: readonly Tracking[];
  readonly logger: Logger;
  /** Epoch ms (tests pin it). */
  readonly now: () => number;
  /** The edit interval the boards' worker keeps (`BOARD_EDIT_INTERVAL_SECONDS`), for replies; default a minute. */
  readonly editIntervalMs?: number;
}

/** What `/layover-mod board on` asks for. */
export interface BoardRequest {
  readonly guildId: string;
  readonly channelId: string;
  readonly artistId: string;
  readonly albumId: string;
  readonly language: Language;
}

/** Raised when a board's artist or album is no longer in the tracking configs. */
export class BoardAlbumGoneError extends Error {
  constructor(board: Pick<BoardRegistration, 'artistId' | 'albumId'>) {
    super(`album "${board.albumId}" of artist "${board.artistId}" is no longer tracked`);
    this.name = 'BoardAlbumGoneError';
  }
}

/**
 * Posts, renders and removes live status boards: the board message is built from the artist's state and its
 * stream history by the `view` it is given. Used by `/layover-mod board` and by the worker that edits boards.
 */
export class BoardService {
  constructor(private readonly deps: BoardServiceDeps) {}

  /** The minimum time between two edits of a board, as configured. */
  get editIntervalMs(): number {
    return this.deps.editIntervalMs ?? 60_000;
  }

  /** The board's message as it should read now; throws {@link BoardAlbumGoneError} if its album is not tracked. */
  async bodyFor(board: Pick<BoardRegistration, 'artistId' | 'albumId' | 'language'>): Promise<BoardBody> {
    const tracking = this.deps.trackings.find((t) => t.artist.id === board.artistId);
    const album = tracking?.albumsById.get(board.albumId);
    if (tracking === undefined || album === undefined) throw new BoardAlbumGoneError(board);
    const view = await this.deps.artistState.view(tracking.artist.id);
    const since = (view.lastAppliedMs ?? this.deps.now()) - BOARD_RATE_WINDOW_MS;
    const history = await this.deps.history.series(tracking.artist.id, { sinceMs: since });
    return this.deps.view(tracking, album, view, history, {
      nowMs: this.deps.now(),
      language: board.language,
    });
  }

  /**
   * Posts a board and makes it the server's board; a board the server had before is deleted (its message too).
   * Returns the new board and the one it replaced. Posting errors are thrown (`BoardUnusableError` when the
   * channel cannot take it), and then nothing is stored.
   */
  async open(
    request: BoardRequest,
  ): Promise<{ readonly board: BoardRegistration; readonly replaced: BoardRegistration | null }> {
    const body = await this.bodyFor(request);
    const messageId = await this.deps.messages.post(request.channelId, body);
    const nowMs = this.deps.now();
    const board: BoardRegistration = {
      ...request,
      messageId,
      createdAt: new Date(nowMs).toISOString(),
      editedAtMs: nowMs,
    };
    const replaced = await this.deps.store.replace(board);
    if (replaced !== null) await this.deleteMessage(replaced);
    return { board, replaced };
  }

  /**
   * Removes the server's board and deletes its message. Returns the board and whether its message is gone, or
   * null when there was no board.
   */
  async close(
    guildId: string,
  ): Promise<{ readonly board: BoardRegistration; readonly deleted: boolean } | null> {
    const removed = await this.deps.store.remove(guildId);
    if (removed === null) return null;
    return { board: removed, deleted: await this.deleteMessage(removed) };
  }

  /**
   * Deletes a board's message; false (and logged) when that failed: the board is already forgotten, so the message
   * stays as it is, never edited again.
   */
  private async deleteMessage(board: BoardRegistration): Promise<boolean> {
    try {
      await this.deps.messages.remove(board.channelId, board.messageId);
      return true;
    } catch (error) {
      this.deps.logger.warn(
        {
          guildId: board.guildId,
          channelId: board.channelId,
          messageId: board.messageId,
          err: errorMessage(error),
        },
        'could not delete a board message; it is no longer updated',
      );
      return false;
    }
  }
}
