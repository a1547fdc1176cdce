import type { Language } from '../language.js';
import type { RedisClient } from '../redis.js';
import { luaScript, type LuaScript } from '../redis-scripts.js';
import type { StateKeys } from './keys.js';

/** One server's live status board: a message the bot keeps up to date with an album's progress. */
export interface BoardRegistration {
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly artistId: string;
  readonly albumId: string;
  /** The language the board is written in. */
  readonly language: Language;
  /** ISO time the board was posted. */
  readonly createdAt: string;
  /**
   * Epoch ms of the last edit (its start while it runs, its end once done, whether it succeeded or not), or of the
   * post itself: the next edit waits one interval from it.
   */
  readonly editedAtMs: number;
}

/** The next planned edit of a board: when it is due and which message it edits. */
export interface PlannedEdit {
  readonly dueMs: number;
  readonly messageId: string;
}

/** What starting a planned edit found. */
export type EditClaim =
  | { readonly kind: 'go'; readonly board: BoardRegistration }
  | { readonly kind: 'wait'; readonly dueMs: number }
  | { readonly kind: 'stale' };

function fromHash(guildId: string, hash: Record<string, string>): BoardRegistration | null {
  const { channelId, messageId, artistId, albumId } = hash;
  if (channelId === undefined || messageId === undefined || artistId === undefined || albumId === undefined) {
    return null;
  }
  return {
    guildId,
    channelId,
    messageId,
    artistId,
    albumId,
    language: hash.language === 'ko' ? 'ko' : 'en',
    createdAt: hash.createdAt ?? '',
    editedAtMs: Number(hash.editedAt ?? 0),
  };
}

/** HGETALL's flat reply as a record. */
function pairs(flat: readonly unknown[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[String(flat[i])] = String(flat[i + 1]);
  return hash;
}

/**
 * Live status boards (`/layover-mod board`): one Redis hash per server (`<prefix>:board:<guild>`) and, per artist,
 * the set of servers with a board of one of its albums, so that an applied snapshot finds its boards. Edits are
 * planned and started through Lua scripts, so that any number of workers in any number of processes make at most
 * one edit per board per interval, and snapshots applied meanwhile are gathered into the next one.
 */
export class BoardStore {
  private readonly replaceScript: LuaScript;
  private readonly removeScript: LuaScript;
  private readonly scheduleScript: LuaScript;
  private readonly claimScript: LuaScript;
  private readonly finishScript: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {
    this.replaceScript = luaScript(redis, new URL('./lua/board-replace.lua', import.meta.url), 2);
    this.removeScript = luaScript(redis, new URL('./lua/board-remove.lua', import.meta.url), 1);
    this.scheduleScript = luaScript(redis, new URL('./lua/board-schedule.lua', import.meta.url), 2);
    this.claimScript = luaScript(redis, new URL('./lua/board-claim.lua', import.meta.url), 1);
    this.finishScript = luaScript(redis, new URL('./lua/board-finish.lua', import.meta.url), 1);
  }

  async get(guildId: string): Promise<BoardRegistration | null> {
    return fromHash(guildId, await this.redis.hgetall(this.keys.board(guildId)));
  }

  /** Server ids that may have a board of this artist (a few may be stale: {@link schedule} says). */
  async guildsOf(artistId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.artistBoards(artistId));
  }

  /** Stores `board` in place of the server's board, if any, and returns the one it replaced. */
  async replace(board: BoardRegistration): Promise<BoardRegistration | null> {
    const fields = {
      channelId: board.channelId,
      messageId: board.messageId,
      artistId: board.artistId,
      albumId: board.albumId,
      language: board.language,
      createdAt: board.createdAt,
      editedAt: String(board.editedAtMs),
    };
    const old = (await this.replaceScript(
      this.keys.board(board.guildId),
      this.keys.artistBoards(board.artistId),
      board.guildId,
      ...Object.entries(fields).flat(),
    )) as unknown[];
    return fromHash(board.guildId, pairs(old));
  }

  /**
   * Removes the server's board and returns it; with `messageId`, only if the board is still that message (a board
   * replaced meanwhile stays). Null when nothing was removed.
   */
  async remove(guildId: string, messageId?: string): Promise<BoardRegistration | null> {
    const old = (await this.removeScript(this.keys.board(guildId), messageId ?? '')) as unknown[];
    return fromHash(guildId, pairs(old));
  }

  /**
   * Plans an edit of the server's board of `artistId`, or returns the edit already planned: due one interval after
   * the last edit, and not before `nowMs`. Null when the server has no board of that artist.
   */
  async schedule(
    artistId: string,
    guildId: string,
    nowMs: number,
    intervalMs: number,
  ): Promise<PlannedEdit | null> {
    const planned = (await this.scheduleScript(
      this.keys.board(guildId),
      this.keys.artistBoards(artistId),
      artistId,
      guildId,
      nowMs,
      intervalMs,
    )) as [string, string] | null;
    return planned === null ? null : { dueMs: Number(planned[0]), messageId: planned[1] };
  }

  /**
   * Starts the planned edit `dueMs` of message `messageId`: `go` with the board (the plan is cleared, the start
   * recorded as the last edit, and the edit leased for `leaseMs`), `wait` with the time the plan moved to (too soon
   * after the last edit, or another edit is under way), or `stale` (another plan, another message, or no board).
   */
  async claim(
    guildId: string,
    messageId: string,
    dueMs: number,
    nowMs: number,
    intervalMs: number,
    leaseMs: number,
  ): Promise<EditClaim> {
    const reply = (await this.claimScript(
      this.keys.board(guildId),
      messageId,
      String(dueMs),
      nowMs,
      intervalMs,
      leaseMs,
    )) as string[];
    if (reply[0] === 'wait') return { kind: 'wait', dueMs: Number(reply[1]) };
    const board = reply[0] === 'go' ? fromHash(guildId, pairs(reply.slice(1))) : null;
    return board === null ? { kind: 'stale' } : { kind: 'go', board };
  }

  /** Ends an edit (done or failed) at `nowMs`; false when the board is no longer `messageId`. */
  async finish(guildId: string, messageId: string, nowMs: number): Promise<boolean> {
    return (await this.finishScript(this.keys.board(guildId), messageId, nowMs)) === 1;
  }
}
