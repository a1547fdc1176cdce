import { ProblemsError } from '../problems-error.js';
import type { Redis } from 'ioredis';
import { isCluster, nodeName, serverNodes, type RedisClient } from '../redis.js';

/** The oldest Redis this project supports (BullMQ needs 6.2 commands such as LMOVE and GETDEL-style scripts). */
export const MINIMUM_REDIS_VERSION = '6.2.0';

/** What start-up learned about the Redis it was given. */
export interface RedisFacts {
  readonly version: string;
  /** `maxmemory-policy`, from CONFIG GET or, when CONFIG is disabled, from INFO memory. */
  readonly maxmemoryPolicy: string | null;
  /** Where the policy was read: `config` or `info`. */
  readonly policySource: 'config' | 'info' | null;
  readonly aofEnabled: boolean | null;
}

/** One server's facts; `node` is `host:port` and `role` is set on a cluster. */
export interface NodeFacts {
  readonly node: string;
  readonly role: 'master' | 'replica' | null;
  readonly facts: RedisFacts;
}

export interface RedisRequirementReport {
  /** The one server's facts, or on a cluster the weakest node's: lowest version, evicting policy, AOF off. */
  readonly facts: RedisFacts;
  /** Every server checked: the one, or every node of the cluster (masters and replicas). */
  readonly nodes: readonly NodeFacts[];
  /** Reasons to refuse to run. Empty when the Redis is fit. */
  readonly problems: readonly string[];
  /** Worth telling the operator, not worth refusing for. */
  readonly warnings: readonly string[];
}

/** Raised at start-up when the Redis would lose or evict our state; the message says what to change. */
export class RedisRequirementError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super('refusing to start: Redis is not fit for layover-bot', problems, '- ');
  }
}

/** Parses the `key:value` lines of an INFO section. */
export function parseInfo(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function readPolicy(
  redis: Redis,
): Promise<{ policy: string | null; source: 'config' | 'info' | null }> {
  try {
    const answer = await redis.call('CONFIG', 'GET', 'maxmemory-policy');
    if (Array.isArray(answer) && typeof answer[1] === 'string')
      return { policy: answer[1], source: 'config' };
  } catch {
    // CONFIG is often renamed or disabled on managed Redis; INFO memory reports the policy too.
  }
  const policy = parseInfo(await redis.info('memory')).get('maxmemory_policy') ?? null;
  return { policy, source: policy === null ? null : 'info' };
}

async function readFacts(redis: Redis): Promise<RedisFacts> {
  const server = parseInfo(await redis.info('server'));
  const persistence = parseInfo(await redis.info('persistence'));
  const { policy, source } = await readPolicy(redis);
  const aof = persistence.get('aof_enabled');
  return {
    version: server.get('redis_version') ?? 'unknown',
    maxmemoryPolicy: policy,
    policySource: source,
    aofEnabled: aof === undefined ? null : aof === '1',
  };
}

function judge(facts: RedisFacts): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (facts.version === 'unknown' || compareVersions(facts.version, MINIMUM_REDIS_VERSION) < 0) {
    problems.push(`Redis ${facts.version} is too old: version ${MINIMUM_REDIS_VERSION} or later is required`);
  }
  const policy = facts.maxmemoryPolicy;
  if (policy === null) {
    problems.push(
      'could not read maxmemory-policy (neither CONFIG GET nor INFO memory reported it); it must be noeviction',
    );
  } else if (policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is "${policy}": Redis could evict queue jobs, ledger entries and milestone state. ` +
        'Set "maxmemory-policy noeviction" (redis.conf, or CONFIG SET maxmemory-policy noeviction)',
    );
  }
  if (facts.aofEnabled === false) {
    warnings.push(
      'AOF persistence is off: a Redis restart can lose recent jobs and ledger writes, which breaks exactly-once ' +
        'delivery. Set "appendonly yes" (and appendfsync everysec or always)',
    );
  }
  return { problems, warnings };
}

/** The weakest values across nodes: the lowest version, an evicting (or unreadable) policy, AOF off. */
function weakest(all: readonly RedisFacts[]): RedisFacts {
  const [first, ...rest] = all;
  if (first === undefined) throw new Error('no Redis node to inspect');
  let version = first.version;
  for (const f of rest) {
    if (f.version === 'unknown' || (version !== 'unknown' && compareVersions(f.version, version) < 0))
      version = f.version;
  }
  const policyOf =
    all.find((f) => f.maxmemoryPolicy === null) ??
    all.find((f) => f.maxmemoryPolicy !== 'noeviction') ??
    first;
  const aofs = all.map((f) => f.aofEnabled);
  return {
    version,
    maxmemoryPolicy: policyOf.maxmemoryPolicy,
    policySource: policyOf.policySource,
    aofEnabled: aofs.includes(false) ? false : aofs.includes(null) ? null : true,
  };
}

/**
 * Reads version, eviction policy and persistence, and judges them. Reads only; changes nothing. On a Redis
 * Cluster every node (masters and replicas: a replica becomes a master on failover) is read and judged, and each
 * problem names its node.
 */
export async function inspectRedis(redis: RedisClient): Promise<RedisRequirementReport> {
  if (!isCluster(redis)) {
    const facts = await readFacts(redis);
    return { facts, nodes: [{ node: nodeName(redis), role: null, facts }], ...judge(facts) };
  }
  const nodes = await serverNodes(redis, 'all');
  const masters = new Set(await serverNodes(redis, 'master'));
  const read = await Promise.all(
    nodes.map(async (node): Promise<NodeFacts> => ({
      node: nodeName(node),
      role: masters.has(node) ? 'master' : 'replica',
      facts: await readFacts(node),
    })),
  );
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const { node, role, facts } of read) {
    const judged = judge(facts);
    problems.push(...judged.problems.map((p) => `node ${node} (${role}): ${p}`));
    warnings.push(...judged.warnings.map((w) => `node ${node} (${role}): ${w}`));
  }
  return { facts: weakest(read.map((n) => n.facts)), nodes: read, problems, warnings };
}

/** {@link inspectRedis}, throwing {@link RedisRequirementError} when Redis must not be used. */
export async function requireFitRedis(redis: RedisClient): Promise<RedisRequirementReport> {
  const report = await inspectRedis(redis);
  if (report.problems.length > 0) throw new RedisRequirementError(report.problems);
  return report;
}
