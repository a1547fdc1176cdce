import { errorMessage } from '../../../error-message.js';
import type { Logger } from '../../../logger.js';
import type { BoardRegistration, BoardStore } from '../../../state/board.store.js';
import type { ModeratorNotifier } from '../../moderator-notifier.js';
import { BoardUnusableError, type BoardMessages } from './board-messages.js';
import type { BoardJob } from './board-queue.js';
import type { BoardScheduler } from './board-scheduler.js';
import { BoardAlbumGoneError, type BoardService } from './board-service.js';

export interface BoardEditorDeps {
  readonly store: BoardStore;
  readonly boards: BoardService;
  readonly messages: BoardMessages;
  readonly scheduler: BoardScheduler;
  /** Hears once about each board that had to be dropped. */
  readonly notifier: ModeratorNotifier;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** How long a started edit keeps a second one of the same board from starting (a slow Discord request). */
  readonly leaseMs: number;
  readonly now: () => number;
  /** Called after each job with what it did (tests, metrics). */
  readonly onOutcome?: (outcome: BoardEditOutcome, guildId: string) => void;
}

/**
 * What one board job did: `edited`; `moved` (too soon after the last edit, or another edit under way: a job for
 * the later time replaces it); `stale` (its plan or message is no longer current); `dropped` (the board could not
 * be used any more and was removed); `retry` (Discord failed for now: an edit is planned one interval later).
 */
export type BoardEditOutcome = 'edited' | 'moved' | 'stale' | 'dropped' | 'retry';

/**
 * The `boards` processor: carries out a planned edit of a board, at most one per board per interval, however many
 * workers run. A deleted message or channel, or a lost permission, drops the board and tells the moderators once
 * (only the job that removes the board does).
 */
export function createBoardEditor(deps: BoardEditorDeps) {
  const drop = async (board: BoardRegistration, reason: string): Promise<void> => {
    const removed = await deps.store.remove(board.guildId, board.messageId);
    if (removed === null) return;
    deps.logger.warn(
      { guildId: board.guildId, channelId: board.channelId, messageId: board.messageId, reason },
      'live board dropped',
    );
    await deps.notifier.notify(
      `The live status board of server ${board.guildId} (channel ${board.channelId}) was removed: ${reason}. ` +
        'A moderator there can post a new one with `/layover-mod board on`.',
    );
  };

  const edit = async (job: BoardJob): Promise<BoardEditOutcome> => {
    const { guildId, messageId, dueMs } = job.data;
    const claim = await deps.store.claim(
      guildId,
      messageId,
      dueMs,
      deps.now(),
      deps.intervalMs,
      deps.leaseMs,
    );
    if (claim.kind === 'stale') return 'stale';
    if (claim.kind === 'wait') {
      await deps.scheduler.addJob({ guildId, messageId, dueMs: claim.dueMs });
      return 'moved';
    }
    const board = claim.board;
    let outcome: BoardEditOutcome;
    try {
      const body = await deps.boards.bodyFor(board);
      await deps.messages.edit(board.channelId, board.messageId, body);
      outcome = 'edited';
    } catch (error) {
      if (error instanceof BoardUnusableError) {
        // Dropped only if the board is still this message: one removed or replaced meanwhile (`board off` deletes
        // the message, so the edit finds it gone) is no news to anyone.
        await drop(board, error.reason);
        return 'dropped';
      }
      if (error instanceof BoardAlbumGoneError) {
        await drop(board, 'its album is no longer tracked');
        return 'dropped';
      }
      deps.logger.warn(
        { guildId, messageId, err: errorMessage(error) },
        'live board edit failed; trying again after the edit interval',
      );
      outcome = 'retry';
    } finally {
      // Whatever happened, the edit is over: the next one waits one interval from now.
      await deps.store.finish(guildId, messageId, deps.now());
    }
    if (outcome === 'retry') await deps.scheduler.plan(board.artistId, guildId);
    return outcome;
  };

  return async (job: BoardJob): Promise<BoardEditOutcome> => {
    const outcome = await edit(job);
    deps.onOutcome?.(outcome, job.data.guildId);
    return outcome;
  };
}
