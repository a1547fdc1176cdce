import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient } from '../redis.js';
import type { SubjectReading } from '../milestones/types.js';
import type { NormalizedSnapshot } from '../snapshots/normalize-snapshot.js';
import type { StateKeys } from './keys.js';
import { historyMaxPoints as defaultHistoryMaxPoints, historyPoint } from './stream-history.store.js';
import {
  advanceSubjects,
  parseStoredSubjects,
  serializeStoredSubjects,
  type StoredSubjects,
} from './subject-states.js';

const commitLua = readFileSync(new URL('./lua/commit-snapshot.lua', import.meta.url), 'utf8');

/** How long a snapshot's applied result is kept, so a retried job gets the same answer (7 days). */
const APPLIED_TTL_SECONDS = 7 * 24 * 3600;

/** Commit attempts per snapshot; each failed one means another application moved the state meanwhile. */
const MAX_COMMIT_ATTEMPTS = 50;

export interface Announcement {
  readonly key: string;
  readonly threshold: number;
}

export type ApplyOutcome =
  | {
      /** `applied`: the state moved; `repeat`: this exact snapshot was applied before (a retry or a duplicate). */
      readonly status: 'applied' | 'repeat';
      readonly announced: readonly Announcement[];
    }
  | { readonly status: 'stale'; readonly lastAppliedMs: number };

/** What `/layover status` and `why` read back about one subject. */
export interface SubjectView {
  readonly reached: number | null;
  readonly value: number | null;
  readonly previousValue: number | null;
  readonly decision: string | null;
}

export interface ArtistStateView {
  readonly lastAppliedMs: number | null;
  readonly lastAppliedAt: string | null;
  readonly previousAppliedAt: string | null;
  readonly subjects: ReadonlyMap<string, SubjectView>;
}

/** An artist's state as this process last saw it; `last` ('' before the first snapshot) is its version. */
interface KnownState {
  readonly last: string;
  readonly subjects: StoredSubjects;
}

type CommitCommand = (
  stateKey: string,
  appliedKey: string,
  historyKey: string,
  ...args: string[]
) => Promise<string[]>;

/**
 * A stable fingerprint of a snapshot's content as the engine sees it (its artist, time and every subject's
 * value, in the tracking's order): equal for an exact repeat, different for anything that could decide otherwise.
 */
export function snapshotFingerprint(
  snapshot: NormalizedSnapshot,
  readings: readonly SubjectReading[],
): string {
  let canonical = `${snapshot.artistId}\n${snapshot.capturedAtMs}`;
  for (const reading of readings) canonical += `\n${reading.key}=${reading.value}`;
  return hash('sha256', canonical, 'base64url').slice(0, 32);
}

function encodeAnnounced(announced: readonly Announcement[]): string {
  return announced.map(({ key, threshold }) => `${key}=${threshold}`).join('\n');
}

function decodeAnnounced(payload: string): Announcement[] {
  if (payload === '') return [];
  return payload.split('\n').map((line) => {
    const eq = line.lastIndexOf('=');
    return { key: line.slice(0, eq), threshold: Number(line.slice(eq + 1)) };
  });
}

/**
 * Artist state in one Redis hash. Each snapshot is decided in this process by the pure engine against the state
 * it last saw, then committed by one Lua script that refuses if the state has moved since (another worker applied
 * a snapshot meanwhile) and hands back the current state to decide again. So exactly one application moves the
 * state from each version: each milestone is claimed once, with any number of workers in any number of
 * processes, and a stale snapshot changes nothing. The state each process last saw is kept per artist, so a
 * snapshot usually costs one round trip whatever the number of subjects, and Redis does no per-subject work.
 */
export class ArtistStateStore {
  private readonly commit: CommitCommand;
  /**
   * Per artist: the state as of this process's last read or commit. Only a guess (the commit checks it), so a
   * concurrent job may overwrite a newer entry with an older one at the cost of one more attempt later. Bounded
   * by the number of artists.
   */
  private readonly known = new Map<string, KnownState>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    /** How many history points per artist to keep (status charts). */
    private readonly historyMaxPoints = defaultHistoryMaxPoints,
  ) {
    if (!('layoverCommitSnapshot' in redis)) {
      redis.defineCommand('layoverCommitSnapshot', { numberOfKeys: 3, lua: commitLua });
    }
    const command = (redis as unknown as Record<string, CommitCommand>).layoverCommitSnapshot;
    if (command === undefined) throw new Error('could not define the commit-snapshot script');
    this.commit = command.bind(redis);
  }

  async applySnapshot(
    snapshot: NormalizedSnapshot,
    readings: readonly SubjectReading[],
  ): Promise<ApplyOutcome> {
    const { artistId } = snapshot;
    const keys = [
      this.keys.artistState(artistId),
      this.keys.appliedSnapshot(artistId, snapshotFingerprint(snapshot, readings)),
      this.keys.artistHistory(artistId),
    ] as const;
    const fixedArgs = [
      String(snapshot.capturedAtMs),
      snapshot.capturedAt,
      String(APPLIED_TTL_SECONDS),
      historyPoint(snapshot.capturedAt, readings) ?? '',
      String(this.historyMaxPoints),
    ];
    let state = this.known.get(artistId) ?? (await this.read(artistId));
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      const next = advanceSubjects(state.subjects, readings);
      const announced = encodeAnnounced(next.announced);
      const [status, ...rest] = await this.commit(
        ...keys,
        ...fixedArgs,
        state.last,
        serializeStoredSubjects(next.subjects),
        announced,
      );
      if (status === 'applied') {
        this.known.set(artistId, { last: String(snapshot.capturedAtMs), subjects: next.subjects });
        return { status, announced: next.announced };
      }
      if (status === 'repeat') return { status, announced: decodeAnnounced(rest[0] ?? '') };
      if (status === 'stale') return { status, lastAppliedMs: Number(rest[0]) };
      if (status !== 'moved') throw new Error(`unexpected commit-snapshot answer ${String(status)}`);
      state = { last: rest[0] ?? '', subjects: parseStoredSubjects(rest[2]) };
      this.known.set(artistId, state);
    }
    throw new Error(
      `artist ${artistId}: the state moved under ${MAX_COMMIT_ATTEMPTS} commit attempts in a row; the job will be retried`,
    );
  }

  /** The stored state of one artist, for status commands and diagnostics. */
  async view(artistId: string): Promise<ArtistStateView> {
    const hash = await this.redis.hgetall(this.keys.artistState(artistId));
    const subjects = new Map<string, SubjectView>();
    for (const [key, [reached, value, previous, decision]] of parseStoredSubjects(hash.s)) {
      subjects.set(key, {
        reached,
        value,
        previousValue: previous,
        decision,
      });
    }
    return {
      lastAppliedMs: hash.last === undefined ? null : Number(hash.last),
      lastAppliedAt: hash.lastAt ?? null,
      previousAppliedAt: hash.pat ?? null,
      subjects,
    };
  }

  private async read(artistId: string): Promise<KnownState> {
    const [last, subjects] = await this.redis.hmget(this.keys.artistState(artistId), 'last', 's');
    const state = { last: last ?? '', subjects: parseStoredSubjects(subjects ?? undefined) };
    this.known.set(artistId, state);
    return state;
  }
}
