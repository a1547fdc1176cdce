import { randomUUID } from 'node:crypto';
import type { Announcement, ArtistStep } from '../milestones/advance-artist.js';
import type { ArtistState, Milestone, SubjectReading } from '../milestones/types.js';
import type { RedisClient } from '../redis.js';
import { luaScript, type LuaScript } from '../redis-scripts.js';
import type { SnapshotRecord } from '../snapshots/snapshot-record.js';
import type { StateKeys } from './keys.js';
import { historyMaxPoints as defaultHistoryMaxPoints, historyPoint } from './stream-history.store.js';
import { parseStoredSubjects, serializeStoredSubjects } from './subject-states.js';

/** How long an entry's applied result is kept, so a job that runs again gets the same answer (7 days). */
const APPLIED_TTL_SECONDS = 7 * 24 * 3600;

/** Commit attempts per entry; each failed one means the state was moved meanwhile (another process drained). */
const MAX_COMMIT_ATTEMPTS = 50;

/** How long a drain lock outlives its holder's last step: a dead drainer's artist is free again after this. */
export const DRAIN_LOCK_TTL_MS = 15_000;

/** One snapshot waiting in an artist's inbox, and the job that owns it (whose result reports its milestones). */
export interface InboxEntry {
  readonly id: string;
  readonly owner: string;
  readonly snapshot: SnapshotRecord;
  /** Seed the state only: the milestones are recorded, never posted. */
  readonly backfill: boolean;
}

/** The oldest waiting entry as the inbox holds it: its id and its payload (null if the payload is unreadable). */
export interface InboxHead {
  readonly id: string;
  readonly entry: InboxEntry | null;
}

/** What an entry's application left behind (kept {@link APPLIED_TTL_SECONDS}). */
export interface AppliedResult {
  /** `applied`: some subject took a value; `stale`: every reading was at or before its subject's newest. */
  readonly status: 'applied' | 'stale';
  readonly owner: string;
  readonly announced: readonly Announcement[];
}

export type EnterOutcome =
  | { readonly drain: false; readonly result: AppliedResult | null }
  | { readonly drain: true; readonly result: AppliedResult | null; readonly head: InboxHead };

/** What follows a step of a drain: another entry, or the lock given back (or lost to another drainer). */
export type DrainNext =
  { readonly kind: 'next'; readonly head: InboxHead } | { readonly kind: 'released' | 'lost' };

export type CommitOutcome =
  | { readonly kind: 'lost' }
  | {
      readonly kind: 'committed';
      /** `repeat`: the entry had been committed before (a drainer died before finishing it). */
      readonly status: 'applied' | 'repeat';
      readonly result: AppliedResult;
      /** The engine's milestones when this commit made them; null for a repeat (rebuild them from `result`). */
      readonly milestones: readonly Milestone[] | null;
      /** `held`: announce `result.announced`, then {@link ArtistStateStore.finish} the entry. */
      readonly next: DrainNext | { readonly kind: 'held' };
    };

/** What `/layover status` and `why` read back about one subject. */
export interface SubjectView {
  readonly reached: number | null;
  readonly value: number | null;
  readonly previousValue: number | null;
  readonly decision: string | null;
  /** `capturedAt` (ms) of the value last applied to it. */
  readonly appliedAtMs: number | null;
}

export interface ArtistStateView {
  /**
   * Changes with every snapshot that changes the state (and so the stream history), in the same atomic commit;
   * '' when there is no state. Opaque: compare for equality only.
   */
  readonly version: string;
  readonly lastAppliedMs: number | null;
  readonly lastAppliedAt: string | null;
  readonly previousAppliedAt: string | null;
  readonly subjects: ReadonlyMap<string, SubjectView>;
  /** Snapshots waiting in the artist's inbox. */
  readonly waiting: number;
}

/** An artist's state as this process last saw it, with its version ('' before the first commit). */
interface KnownState {
  readonly version: string;
  readonly state: ArtistState;
}

function encodeResult(result: AppliedResult): string {
  let text = `${result.announced.length === 0 ? 'q' : 'a'}|${result.status}|${result.owner}`;
  for (const { key, threshold } of result.announced) text += `\n${key}=${threshold}`;
  return text;
}

function decodeResult(text: string): AppliedResult {
  const [head = '', ...lines] = text.split('\n');
  const first = head.indexOf('|');
  const second = head.indexOf('|', first + 1);
  const status = head.slice(first + 1, second) === 'stale' ? 'stale' : 'applied';
  return {
    status,
    owner: head.slice(second + 1),
    announced: lines.map((line) => {
      const eq = line.lastIndexOf('=');
      return { key: line.slice(0, eq), threshold: Number(line.slice(eq + 1)) };
    }),
  };
}

export function encodeInboxEntry(entry: InboxEntry): string {
  return JSON.stringify({ o: entry.owner, b: entry.backfill ? 1 : 0, s: entry.snapshot });
}

function decodeInboxEntry(id: string, payload: string): InboxEntry | null {
  if (payload === '') return null;
  try {
    const raw = JSON.parse(payload) as { o?: unknown; b?: unknown; s?: SnapshotRecord };
    if (typeof raw.o !== 'string' || raw.s === undefined) return null;
    return { id, owner: raw.o, backfill: raw.b === 1, snapshot: raw.s };
  } catch {
    return null;
  }
}

function nextOf(reply: readonly string[], at: number): DrainNext {
  const kind = reply[at];
  if (kind === 'next') {
    const id = reply[at + 1] ?? '';
    return { kind, head: { id, entry: decodeInboxEntry(id, reply[at + 2] ?? '') } };
  }
  if (kind === 'released' || kind === 'lost') return { kind };
  throw new Error(`unexpected drain answer ${String(kind)}`);
}

/**
 * An artist's state and its inbox, in Redis.
 *
 * Ordering: every snapshot of an artist waits in the artist's inbox, a sorted set by `capturedAt`, and one worker
 * at a time (the holder of the artist's drain lock) applies whatever is waiting, oldest first. A batch is put in
 * the inbox whole before its jobs exist, so it is applied in time order whatever order it came in.
 *
 * Exactly once: each entry is decided in this process by the pure engine against the state it last saw, then
 * committed by one Lua script that refuses if the caller lost the lock or the state moved since (and hands back
 * the current state to decide again). An entry leaves the inbox only after its milestones were recorded, so a
 * drainer that dies at any point leaves it for the next one, whose commit finds the kept result and records the
 * same milestones again (idempotently).
 */
export class ArtistStateStore {
  private readonly addScript: LuaScript;
  private readonly enterScript: LuaScript;
  private readonly commitScript: LuaScript;
  private readonly finishScript: LuaScript;
  private readonly releaseScript: LuaScript;
  /** Per artist: the state as of this process's last read or commit (checked by every commit). */
  private readonly known = new Map<string, KnownState>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    /** How many history points per artist to keep (status charts). */
    private readonly historyMaxPoints = defaultHistoryMaxPoints,
    private readonly lockTtlMs = DRAIN_LOCK_TTL_MS,
  ) {
    const lua = (name: string) => new URL(`./lua/${name}.lua`, import.meta.url);
    this.addScript = luaScript(redis, lua('add-to-inbox'));
    this.enterScript = luaScript(redis, lua('enter-inbox'), 4);
    this.commitScript = luaScript(redis, lua('commit-snapshot'), 6);
    this.finishScript = luaScript(redis, lua('finish-entry'), 3);
    this.releaseScript = luaScript(redis, lua('release-drain'), 1);
  }

  /**
   * A fresh drain-lock token; with `owner` (the job's id) it starts with `<owner>|`, so a later run of the same job
   * (after the drainer died) takes the lock over at once instead of waiting for it to expire.
   */
  static lockToken(owner = ''): string {
    return owner === '' ? randomUUID() : `${owner}|${randomUUID()}`;
  }

  /**
   * Puts entries of one artist in its inbox in one atomic step (entries already waiting or already applied are
   * left alone). Returns how many were added.
   */
  async addToInbox(artistId: string, entries: readonly InboxEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const keys = [
      this.keys.artistInbox(artistId),
      this.keys.artistInboxEntries(artistId),
      ...entries.map((e) => this.keys.appliedSnapshot(artistId, e.id)),
    ];
    const args = entries.flatMap((e) => [e.id, String(e.snapshot.at), encodeInboxEntry(e)]);
    return Number(await this.addScript(keys.length, ...keys, ...args));
  }

  /**
   * A job's first step: its entry into the inbox (unless it was applied already), then an attempt to take the
   * drain lock with `token`. When it is taken (`drain: true`) the caller must drain until the lock is released.
   */
  async enter(entry: InboxEntry, token: string): Promise<EnterOutcome> {
    const artistId = entry.snapshot.artistId;
    const reply = (await this.enterScript(
      this.keys.artistInbox(artistId),
      this.keys.artistInboxEntries(artistId),
      this.keys.artistDrainLock(artistId),
      this.keys.appliedSnapshot(artistId, entry.id),
      entry.id,
      String(entry.snapshot.at),
      encodeInboxEntry(entry),
      token,
      String(this.lockTtlMs),
      token.includes('|') ? token.slice(0, token.lastIndexOf('|') + 1) : '',
    )) as string[];
    const result = reply[0] ? decodeResult(reply[0]) : null;
    if (reply[1] !== 'locked') return { drain: false, result };
    const id = reply[2] ?? '';
    return { drain: true, result, head: { id, entry: decodeInboxEntry(id, reply[3] ?? '') } };
  }

  /**
   * Commits one entry: `step` is the engine's step from a state (called again if the state moved since this
   * process last saw it). Nothing to announce: the entry also leaves the inbox and the next one comes back.
   */
  async commit(
    artistId: string,
    token: string,
    entry: InboxEntry,
    readings: readonly SubjectReading[],
    step: (state: ArtistState) => ArtistStep,
  ): Promise<CommitOutcome> {
    const { snapshot } = entry;
    const keys = [
      this.keys.artistState(artistId),
      this.keys.appliedSnapshot(artistId, entry.id),
      this.keys.artistHistory(artistId),
      this.keys.artistInbox(artistId),
      this.keys.artistInboxEntries(artistId),
      this.keys.artistDrainLock(artistId),
    ];
    let known = this.known.get(artistId) ?? (await this.read(artistId));
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      const next = step(known.state);
      const stale = next.status === 'stale';
      const version = stale ? known.version : randomUUID();
      const result: AppliedResult = {
        status: next.status,
        owner: entry.owner,
        announced: next.announced,
      };
      const reply = (await this.commitScript(
        ...keys,
        token,
        entry.id,
        String(snapshot.at),
        snapshot.capturedAt,
        known.version,
        version,
        stale ? '' : serializeStoredSubjects(next.state.subjects),
        encodeResult(result),
        String(APPLIED_TTL_SECONDS),
        stale ? '' : (historyPoint(snapshot.capturedAt, readings) ?? ''),
        String(this.historyMaxPoints),
        String(this.lockTtlMs),
      )) as string[];
      const status = reply[0];
      if (status === 'lost') return { kind: 'lost' };
      if (status === 'moved') {
        known = this.remember(artistId, reply[1] ?? '', reply[2] ?? '', reply[3]);
        continue;
      }
      if (status !== 'applied' && status !== 'repeat') {
        throw new Error(`unexpected commit-snapshot answer ${String(status)}`);
      }
      const kept = status === 'applied' ? result : decodeResult(reply[1] ?? '');
      if (status === 'applied' && !stale) this.known.set(artistId, { version, state: next.state });
      return {
        kind: 'committed',
        status,
        result: kept,
        milestones: status === 'applied' ? next.milestones : null,
        next: reply[2] === 'held' ? { kind: 'held' } : nextOf(reply, 2),
      };
    }
    throw new Error(
      `artist ${artistId}: the state moved under ${MAX_COMMIT_ATTEMPTS} commit attempts in a row; the job will be retried`,
    );
  }

  /** Takes a drained entry (or, with '', nothing) out of the inbox; the next waiting entry, or the lock released. */
  async finish(artistId: string, token: string, entryId: string): Promise<DrainNext> {
    const reply = (await this.finishScript(
      this.keys.artistInbox(artistId),
      this.keys.artistInboxEntries(artistId),
      this.keys.artistDrainLock(artistId),
      token,
      entryId,
      String(this.lockTtlMs),
    )) as string[];
    return nextOf(reply, 0);
  }

  /** Gives the drain lock back after an error (if still held); the waiting entries stay for the next drainer. */
  async release(artistId: string, token: string): Promise<void> {
    await this.releaseScript(this.keys.artistDrainLock(artistId), token);
  }

  /** The kept result of an entry's application, or null (not applied yet, or long ago). */
  async result(artistId: string, entryId: string): Promise<AppliedResult | null> {
    const text = await this.redis.get(this.keys.appliedSnapshot(artistId, entryId));
    return text === null ? null : decodeResult(text);
  }

  /** The stored state of one artist, for status commands and diagnostics. */
  async view(artistId: string): Promise<ArtistStateView> {
    const [hash, waiting] = await Promise.all([
      this.redis.hgetall(this.keys.artistState(artistId)),
      this.redis.zcard(this.keys.artistInbox(artistId)),
    ]);
    const subjects = new Map<string, SubjectView>();
    const legacy = hash.last === undefined ? 0 : Number(hash.last);
    for (const [key, [reached, value, previous, decision, appliedAtMs]] of parseStoredSubjects(
      hash.s,
      legacy,
    )) {
      subjects.set(key, { reached, value, previousValue: previous, decision, appliedAtMs });
    }
    return {
      version: hash.v ?? '',
      lastAppliedMs: hash.last === undefined ? null : Number(hash.last),
      lastAppliedAt: hash.lastAt ?? null,
      previousAppliedAt: hash.pat ?? null,
      subjects,
      waiting,
    };
  }

  /**
   * Deletes one artist's stored state (every subject's reached threshold and value, the last applied time), so its
   * next snapshot is a new baseline: thresholds at or below its values are marked reached without announcing.
   * Announced milestones, their post ledger and the stream history stay. True when there was a state to delete.
   * Other processes notice at their next commit, which finds the state moved.
   */
  async reset(artistId: string): Promise<boolean> {
    this.known.delete(artistId);
    return (await this.redis.del(this.keys.artistState(artistId))) > 0;
  }

  private async read(artistId: string): Promise<KnownState> {
    const [version, last, subjects] = await this.redis.hmget(
      this.keys.artistState(artistId),
      'v',
      'last',
      's',
    );
    return this.remember(artistId, version ?? '', last ?? '', subjects ?? undefined);
  }

  private remember(
    artistId: string,
    version: string,
    last: string,
    subjects: string | undefined,
  ): KnownState {
    const lastAppliedMs = last === '' ? null : Number(last);
    const known: KnownState = {
      version,
      state: { lastAppliedMs, subjects: parseStoredSubjects(subjects, lastAppliedMs ?? 0) },
    };
    this.known.set(artistId, known);
    return known;
  }
}
