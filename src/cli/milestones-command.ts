import { parseArgs } from 'node:util';
import type { Milestone } from '../milestones/types.js';
import { createRedis, redisAnswers, serverNodes, type RedisClient } from '../redis.js';
import { stateKeys, type StateKeys } from '../state/keys.js';
import { MilestoneStore } from '../state/milestone.store.js';
import { PostLedgerStore } from '../state/post-ledger.store.js';
import { slugSchema } from '../tracking/schema.js';
import { CommandError, settingsForCommand } from '../command-error.js';
import { redact } from './private-redis.js';

export const milestonesUsage = 'usage: npm run milestones -- [--artist <id>] [--json]';

/**
 * One destination's delivery of a milestone, as the post ledger records it: `sent`, `failed`, `waiting` (not
 * final yet), or any other state the ledger holds (`skipped`, `superseded`), with its reason when there is one.
 */
export interface DestinationState {
  readonly state: string;
  readonly reason?: string;
  /** The platform's id of the post, when sent. */
  readonly platformId?: string;
  /** When the ledger entry last changed. */
  readonly at?: string;
}

/** One line of `milestones --json`: the replay's fields, plus each destination's state. */
export interface AnnouncedMilestoneJson extends Milestone {
  /** The texts posted, where the ledger has them (null where nothing was sent to that platform). */
  readonly posts: { readonly x: string | null; readonly discord: string | null };
  readonly destinations: Readonly<Record<string, DestinationState>>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Reads a ledger entry generically, so a state this command does not know of still shows, with its reason. */
export function destinationState(entry: unknown): DestinationState {
  const e = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
  const state = str(e.state) ?? 'unknown';
  const reason = str(e.reason);
  const platformId = str(e.platformId);
  const at = str(e.updatedAt) ?? str(e.createdAt);
  return {
    state: state === 'pending' ? 'waiting' : state,
    ...(reason === undefined ? {} : { reason }),
    ...(platformId === undefined ? {} : { platformId }),
    ...(at === undefined ? {} : { at }),
  };
}

/** The text of the first sent entry of a platform (`x:…`, `discord:…`), or null. */
function postedText(entries: ReadonlyMap<string, unknown>, platform: string): string | null {
  for (const [destination, entry] of entries) {
    if (!destination.startsWith(`${platform}:`)) continue;
    const e = entry as Record<string, unknown>;
    if (e.state === 'sent' && typeof e.text === 'string') return e.text;
  }
  return null;
}

/** Artist ids with a milestone index under the prefix (every master of a cluster is scanned). */
export async function artistsWithMilestones(redis: RedisClient, keys: StateKeys): Promise<string[]> {
  const pattern = keys.artistMilestones('*');
  const [before = '', after = ''] = pattern.split('*');
  const found = new Set<string>();
  for (const node of await serverNodes(redis, 'master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) {
        const id = key.slice(before.length, key.length - after.length);
        if (slugSchema.safeParse(id).success) found.add(id);
      }
    } while (cursor !== '0');
  }
  return [...found].sort();
}

/**
 * Every milestone the live bot announced for these artists, oldest first (by the capturedAt that announced it),
 * each with what the post ledger says of every destination.
 */
export async function readAnnouncedMilestones(
  redis: RedisClient,
  keys: StateKeys,
  artistIds: readonly string[],
): Promise<AnnouncedMilestoneJson[]> {
  const milestones = new MilestoneStore(redis, keys);
  const ledger = new PostLedgerStore(redis, keys);
  const all: { milestone: Milestone; at: number; order: number }[] = [];
  for (const artistId of artistIds) {
    for (const milestone of await milestones.all(artistId)) {
      all.push({ milestone, at: Date.parse(milestone.observedAt), order: all.length });
    }
  }
  all.sort((a, b) => a.at - b.at || a.order - b.order);
  const out: AnnouncedMilestoneJson[] = [];
  for (const { milestone } of all) {
    const entries = (await ledger.entries(milestone.id)) as ReadonlyMap<string, unknown>;
    const destinations: Record<string, DestinationState> = {};
    for (const [destination, entry] of [...entries].sort(([a], [b]) => a.localeCompare(b)))
      destinations[destination] = destinationState(entry);
    out.push({
      ...milestone,
      posts: { x: postedText(entries, 'x'), discord: postedText(entries, 'discord') },
      destinations,
    });
  }
  return out;
}

/** One milestone for people: when, whose, what, and each destination (with reasons on the lines below). */
export function formatMilestone(m: AnnouncedMilestoneJson): string {
  const subject = m.trackId ?? m.albumId ?? m.artistId;
  const day = m.daysSinceRelease === null ? '' : `, day ${m.daysSinceRelease}`;
  const record = m.record === null ? '' : `, record: ${m.record.title}`;
  const destinations = Object.entries(m.destinations);
  const states =
    destinations.length === 0
      ? 'no destinations'
      : destinations.map(([d, s]) => `${d} ${s.state}`).join(' · ');
  let text =
    `${m.observedAt}  ${m.artistId}  ${m.kind} ${subject} ${m.threshold.toLocaleString('en-US')} ` +
    `(value ${m.value.toLocaleString('en-US')}${day}${record})  ${states}\n`;
  for (const [d, s] of destinations) {
    if (s.reason !== undefined) text += `    ${d} ${s.state}: ${s.reason}\n`;
  }
  return text;
}

/**
 * `npm run milestones`: what the live bot announced (REDIS_URL, QUEUE_PREFIX), oldest first, with each
 * destination's state: `sent`, `failed`, `skipped`, `superseded`, `waiting`. `--json` writes one object per
 * milestone per line on standard output (the replay's fields, `posts`, `destinations`); messages go to stderr.
 */
export async function milestonesCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const settings = settingsForCommand(env);
  let values: { artist?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { artist: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${milestonesUsage}`, 2);
  }
  if (values.artist !== undefined && !slugSchema.safeParse(values.artist).success) {
    throw new CommandError(
      `--artist: "${values.artist}" is not an artist id (lowercase letters, digits and -)`,
      2,
    );
  }
  const cluster = settings.REDIS_CLUSTER;
  if (!(await redisAnswers(settings.REDIS_URL, 1000, { cluster }))) {
    throw new CommandError(`Redis does not answer at ${redact(settings.REDIS_URL)}`, 1);
  }
  const redis = createRedis(settings.REDIS_URL, { cluster });
  try {
    const keys = stateKeys(settings.QUEUE_PREFIX);
    const artists = values.artist === undefined ? await artistsWithMilestones(redis, keys) : [values.artist];
    const milestones = await readAnnouncedMilestones(redis, keys, artists);
    if (values.json === true) {
      for (const m of milestones) process.stdout.write(`${JSON.stringify(m)}\n`);
    } else {
      for (const m of milestones) process.stdout.write(formatMilestone(m));
    }
    const whose = values.artist === undefined ? '' : ` for artist ${values.artist}`;
    process.stderr.write(
      `${milestones.length} milestone(s) announced${whose} under ${settings.QUEUE_PREFIX}\n`,
    );
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
