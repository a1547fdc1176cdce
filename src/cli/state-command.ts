import { parseArgs } from 'node:util';
import { createRedis, redisAnswers } from '../redis.js';
import { ArtistStateStore, type ArtistStateView } from '../state/artist-state.store.js';
import { stateKeys } from '../state/keys.js';
import { loadTrackings, TrackingConfigError } from '../tracking/load-tracking.js';
import { slugSchema } from '../tracking/schema.js';
import { CommandError, settingsForCommand } from '../command-error.js';
import { redact } from './private-redis.js';

export const stateUsage = `usage: npm run state -- show --artist <id> [--json]
       npm run state -- reset --artist <id> --yes`;

/** One subject of `state show --json`. */
export interface StateSubjectJson {
  readonly key: string;
  readonly reached: number | null;
  readonly value: number | null;
  readonly previousValue: number | null;
  readonly decision: string | null;
  /** `capturedAt` of the value last applied to this subject, as a UTC instant. */
  readonly appliedAt: string | null;
}

/** `state show --json`: one object on standard output. */
export interface StateJson {
  readonly artistId: string;
  readonly lastAppliedAt: string | null;
  readonly previousAppliedAt: string | null;
  /** Snapshots waiting in the artist's inbox to be applied. */
  readonly waiting: number;
  readonly subjects: readonly StateSubjectJson[];
}

const count = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));

export function stateJson(artistId: string, view: ArtistStateView): StateJson {
  return {
    artistId,
    lastAppliedAt: view.lastAppliedAt,
    previousAppliedAt: view.previousAppliedAt,
    waiting: view.waiting,
    subjects: [...view.subjects].map(([key, s]) => ({
      key,
      reached: s.reached,
      value: s.value,
      previousValue: s.previousValue,
      decision: s.decision,
      appliedAt: s.appliedAtMs === null ? null : new Date(s.appliedAtMs).toISOString(),
    })),
  };
}

/** The state as a table, one subject a line. */
export function formatState(state: StateJson): string {
  if (state.lastAppliedAt === null && state.subjects.length === 0) {
    return `artist ${state.artistId}: no stored state; its next snapshot is a baseline\n`;
  }
  const before = state.previousAppliedAt === null ? '' : ` (the one before: ${state.previousAppliedAt})`;
  const header = ['subject', 'reached', 'value', 'previous value', 'applied at (UTC)', 'decision'];
  const rows = state.subjects.map((s) => [
    s.key,
    count(s.reached),
    count(s.value),
    count(s.previousValue),
    s.appliedAt ?? '-',
    s.decision ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i >= cells.length - 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return (
    `artist ${state.artistId}: last snapshot applied ${state.lastAppliedAt ?? '-'}${before}; ` +
    `${state.subjects.length} subject(s); ${state.waiting} snapshot(s) waiting to be applied\n\n${[header, ...rows].map((r) => `  ${line(r)}`).join('\n')}\n`
  );
}

/**
 * `npm run state`: shows one artist's stored state (`show`), or deletes it (`reset --yes`) so that the artist's
 * next snapshot is a new baseline, e.g. after a wrong snapshot was applied. Refused, with exit code 2, for an
 * artist neither tracked nor stored, and for `reset` without `--yes`.
 */
export async function stateCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const settings = settingsForCommand(env);
  let values: { artist?: string; json?: boolean; yes?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { artist: { type: 'string' }, json: { type: 'boolean' }, yes: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${stateUsage}`, 2);
  }
  const [action, ...extra] = positionals;
  if ((action !== 'show' && action !== 'reset') || extra.length > 0)
    throw new CommandError(`name one action, show or reset\n${stateUsage}`, 2);
  const artistId = values.artist;
  if (artistId === undefined || artistId === '')
    throw new CommandError(`--artist is required\n${stateUsage}`, 2);
  if (!slugSchema.safeParse(artistId).success)
    throw new CommandError(
      `--artist: "${artistId}" is not an artist id (lowercase letters, digits and -)`,
      2,
    );
  if (action === 'reset' && values.yes !== true) {
    throw new CommandError(
      `reset deletes the stored state of artist "${artistId}": its next snapshot becomes a new baseline ` +
        '(thresholds at or below its counts are marked reached without being announced). ' +
        'Nothing was changed; add --yes to reset.',
      2,
    );
  }
  let tracked: string[];
  try {
    tracked = loadTrackings(settings.trackingConfigPaths).map((t) => t.artist.id);
  } catch (error) {
    if (error instanceof TrackingConfigError) throw new CommandError(error.message, 2);
    throw error;
  }

  const cluster = settings.REDIS_CLUSTER;
  if (!(await redisAnswers(settings.REDIS_URL, 1000, { cluster }))) {
    throw new CommandError(`Redis does not answer at ${redact(settings.REDIS_URL)}`, 1);
  }
  const redis = createRedis(settings.REDIS_URL, { cluster });
  try {
    const keys = stateKeys(settings.QUEUE_PREFIX);
    const stored = (await redis.exists(keys.artistState(artistId))) > 0;
    if (!stored && !tracked.includes(artistId)) {
      throw new CommandError(
        `unknown artist "${artistId}": not in the tracking configs (${tracked.join(', ') || 'none'}) ` +
          `and no state stored under ${settings.QUEUE_PREFIX}`,
        2,
      );
    }
    const store = new ArtistStateStore(redis, keys);
    const state = stateJson(artistId, await store.view(artistId));
    if (action === 'show') {
      process.stdout.write(values.json === true ? `${JSON.stringify(state)}\n` : formatState(state));
      return;
    }
    const deleted = await store.reset(artistId);
    process.stdout.write(
      deleted
        ? `artist ${artistId}: state deleted (${state.subjects.length} subject(s), last snapshot applied ` +
            `${state.lastAppliedAt ?? '-'}); its next snapshot is a new baseline\n`
        : `artist ${artistId}: no stored state, nothing to reset\n`,
    );
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
