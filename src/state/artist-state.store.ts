import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient as Redis } from '../redis.js';
import type { SubjectReading } from '../milestones/types.js';
import type { NormalizedSnapshot } from '../snapshots/normalize-snapshot.js';
import type { StateKeys } from './keys.js';
import { historyMaxPoints as defaultHistoryMaxPoints, historyPoint } from './stream-history.store.js';

const applyLua = readFileSync(new URL('./lua/apply-snapshot.lua', import.meta.url), 'utf8');

/** How long a snapshot's applied result is kept, so a retried job gets the same answer (7 days). */
const APPLIED_TTL_SECONDS = 7 * 24 * 3600;

export type ApplyOutcome =
  | {
      /** `applied`: the state moved; `repeat`: this exact snapshot was applied before (a retry or a duplicate). */
      readonly status: 'applied' | 'repeat';
      readonly announced: readonly { readonly key: string; readonly threshold: number }[];
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

type ApplyCommand = (stateKey: string, appliedKey: string, ...args: string[]) => Promise<[string, string]>;

/** A stable fingerprint of a snapshot's content: equal for an exact repeat, different for anything else. */
export function snapshotFingerprint(snapshot: NormalizedSnapshot): string {
  const tracks = [...snapshot.tracks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([
    snapshot.artistId,
    snapshot.capturedAtMs,
    tracks,
    snapshot.artistStreams ?? null,
    snapshot.followers ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 32);
}

/**
 * Artist state in one Redis hash, changed only by one Lua script per snapshot: one round trip, atomic with any
 * number of workers in any number of processes. Each milestone is claimed by exactly one application, and a
 * stale snapshot changes nothing.
 */
export class ArtistStateStore {
  private readonly apply: ApplyCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    /** How many history points per artist to keep (status charts). */
    private readonly historyMaxPoints = defaultHistoryMaxPoints,
  ) {
    if (!('layoverApplySnapshot' in redis)) {
      redis.defineCommand('layoverApplySnapshot', { numberOfKeys: 3, lua: applyLua });
    }
    const command = (redis as unknown as Record<string, ApplyCommand>).layoverApplySnapshot;
    if (command === undefined) throw new Error('could not define the apply-snapshot script');
    this.apply = command.bind(redis);
  }

  async applySnapshot(
    snapshot: NormalizedSnapshot,
    readings: readonly SubjectReading[],
  ): Promise<ApplyOutcome> {
    const args: string[] = [
      String(snapshot.capturedAtMs),
      snapshot.capturedAt,
      String(APPLIED_TTL_SECONDS),
      historyPoint(snapshot.capturedAt, readings) ?? '',
      String(this.historyMaxPoints),
    ];
    for (const r of readings) args.push(r.key, String(r.value), String(r.floor));
    const [status, payload] = await this.apply(
      this.keys.artistState(snapshot.artistId),
      this.keys.appliedSnapshot(snapshot.artistId, snapshotFingerprint(snapshot)),
      this.keys.artistHistory(snapshot.artistId),
      ...args,
    );
    if (status === 'stale') return { status: 'stale', lastAppliedMs: Number(payload) };
    if (status !== 'applied' && status !== 'repeat')
      throw new Error(`unexpected apply-snapshot answer ${status}`);
    const announced =
      payload === ''
        ? []
        : payload.split('\n').map((line) => {
            const eq = line.lastIndexOf('=');
            return { key: line.slice(0, eq), threshold: Number(line.slice(eq + 1)) };
          });
    return { status, announced };
  }

  /** The stored state of one artist, for status commands and diagnostics. */
  async view(artistId: string): Promise<ArtistStateView> {
    const hash = await this.redis.hgetall(this.keys.artistState(artistId));
    const subjects = new Map<
      string,
      { reached: number | null; value: number | null; previousValue: number | null; decision: string | null }
    >();
    const subject = (key: string) => {
      let s = subjects.get(key);
      if (s === undefined) {
        s = { reached: null, value: null, previousValue: null, decision: null };
        subjects.set(key, s);
      }
      return s;
    };
    for (const [field, raw] of Object.entries(hash)) {
      const colon = field.indexOf(':');
      if (colon === -1) continue;
      const tag = field.slice(0, colon);
      const key = field.slice(colon + 1);
      if (tag === 'r') subject(key).reached = Number(raw);
      else if (tag === 'v') subject(key).value = Number(raw);
      else if (tag === 'pv') subject(key).previousValue = Number(raw);
      else if (tag === 'd') subject(key).decision = raw;
    }
    return {
      lastAppliedMs: hash.last === undefined ? null : Number(hash.last),
      lastAppliedAt: hash.lastAt ?? null,
      previousAppliedAt: hash.pat ?? null,
      subjects,
    };
  }
}
