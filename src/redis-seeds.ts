/** One node address of a Redis Cluster, as ioredis takes it. */
export interface SeedNode {
  readonly host: string;
  readonly port: number;
}

/**
 * REDIS_URL read as Redis Cluster seeds: where to start discovering the cluster, and the credentials and TLS
 * every node (seed or discovered) is reached with.
 */
export interface ClusterSeeds {
  readonly nodes: readonly SeedNode[];
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
}

/** The comma-separated URLs of REDIS_URL (one for a single Redis; one or several seeds for a cluster). */
export function splitRedisUrls(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

interface ParsedSeed {
  readonly node: SeedNode;
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly database: string;
}

function parseSeed(text: string): ParsedSeed | null {
  if (!/^rediss?:\/\//.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.hostname === '') return null;
  const decoded = (s: string) => (s === '' ? undefined : decodeURIComponent(s));
  return {
    node: { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? 6379 : Number(url.port) },
    tls: url.protocol === 'rediss:',
    username: decoded(url.username),
    password: decoded(url.password),
    database: url.pathname.replace(/^\//, ''),
  };
}

function readSeeds(value: string): { seeds: ParsedSeed[]; problems: string[] } {
  const parts = splitRedisUrls(value);
  const seeds: ParsedSeed[] = [];
  const problems: string[] = [];
  for (const [i, part] of parts.entries()) {
    const seed = parseSeed(part);
    if (seed === null) problems.push(`seed ${i + 1} is not a redis:// or rediss:// URL with a host`);
    else seeds.push(seed);
  }
  if (parts.length === 0) problems.push('name at least one seed node, e.g. redis://10.0.0.1:7000');
  const first = seeds[0];
  if (first !== undefined) {
    if (seeds.some((s) => s.tls !== first.tls)) {
      problems.push('the seeds must all be redis:// or all rediss:// (every node is reached the same way)');
    }
    if (seeds.some((s) => s.username !== first.username || s.password !== first.password)) {
      problems.push('the seeds must carry the same username and password (every node is reached with them)');
    }
    if (seeds.some((s) => s.database !== '' && s.database !== '0')) {
      problems.push('Redis Cluster has only database 0: remove the /<number> from the URL');
    }
  }
  return { seeds, problems };
}

/** What is wrong with `value` as cluster seeds, one line each; never echoes a URL (it may hold a password). */
export function clusterSeedProblems(value: string): string[] {
  return readSeeds(value).problems;
}

/** REDIS_URL as cluster seeds; throws when {@link clusterSeedProblems} finds any. */
export function parseClusterSeeds(value: string): ClusterSeeds {
  const { seeds, problems } = readSeeds(value);
  const first = seeds[0];
  if (problems.length > 0 || first === undefined) {
    throw new Error(`REDIS_URL is not usable as Redis Cluster seeds: ${problems.join('; ')}`);
  }
  return {
    nodes: seeds.map((s) => s.node),
    username: first.username,
    password: first.password,
    tls: first.tls,
  };
}
