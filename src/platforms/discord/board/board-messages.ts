import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import { boardProblemOfCode, boardProblemText, type BoardProblem } from './board-problems.js';
import type { BoardBody } from './board-body.js';

/** The board's message or channel can no longer be used: deleted, or the bot lost access or a permission. */
export class BoardUnusableError extends Error {
  constructor(
    message: string,
    /** What happened (`boardProblemText` words it for the moderators in their language). */
    readonly problem: BoardProblem,
  ) {
    super(message);
    this.name = 'BoardUnusableError';
  }

  /** What happened, in English words for the moderators' channel and the log ("the message was deleted"). */
  get reason(): string {
    return boardProblemText(this.problem, 'en');
  }
}

/** The Discord calls a live status board needs. */
export interface BoardMessages {
  /** Posts a board in `channelId` and returns its message id. */
  post(channelId: string, body: BoardBody): Promise<string>;
  /** Replaces the board's embeds (`PATCH /channels/{id}/messages/{id}`). */
  edit(channelId: string, messageId: string, body: BoardBody): Promise<void>;
  /** Deletes the board's message; one that is already gone counts as deleted. */
  remove(channelId: string, messageId: string): Promise<void>;
}

/** A Discord error that means the board is unusable, as a {@link BoardUnusableError}; anything else as it is. */
function classify(error: unknown, what: string): unknown {
  if (error instanceof DiscordAPIError && typeof error.code === 'number') {
    const problem = boardProblemOfCode.get(error.code);
    if (problem !== undefined) {
      return new BoardUnusableError(`${what}: ${error.message} (${error.code})`, problem);
    }
  }
  return error;
}

/**
 * {@link BoardMessages} over Discord's REST API. Errors that mean the board is unusable become
 * {@link BoardUnusableError}; others (timeouts, 5xx, rate limits) are thrown as they are, to be tried again.
 */
export function discordBoardMessages(rest: REST): BoardMessages {
  return {
    async post(channelId, body) {
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
        return message.id;
      } catch (error) {
        throw classify(error, `posting a board in channel ${channelId}`);
      }
    },
    async edit(channelId, messageId, body) {
      try {
        await rest.patch(Routes.channelMessage(channelId, messageId), { body });
      } catch (error) {
        throw classify(error, `editing board message ${messageId} in channel ${channelId}`);
      }
    },
    async remove(channelId, messageId) {
      try {
        await rest.delete(Routes.channelMessage(channelId, messageId));
      } catch (error) {
        const classified = classify(error, `deleting board message ${messageId} in channel ${channelId}`);
        // Gone already (the message, or its channel): nothing left to delete.
        if (classified instanceof BoardUnusableError && error instanceof DiscordAPIError) {
          if (error.code === 10008 || error.code === 10003) return;
        }
        throw classified;
      }
    },
  };
}
