import { ProblemsError } from './problems-error.js';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { hashTagOf } from './redis-key-slot.js';
import { clusterSeedProblems, splitRedisUrls } from './redis-seeds.js';
import { milestoneKinds, type MilestoneKind } from './milestone-kinds.js';
import { parseShardCount, parseShardIds, shardPlanOf, type ShardPlan } from './discord-shard-plan.js';

/** Empty strings count as unset, so `FOO=` in `.env` means "not configured" (as t3-env's emptyStringAsUndefined). */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

function withDefault<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z.preprocess((v) => (v === '' || v === undefined ? fallback : v), schema);
}

export const roleNames = ['worker', 'publisher', 'bot', 'http', 'poller'] as const;
export type Role = (typeof roleNames)[number];

const port = z.coerce.number().int().min(0).max(65535);
/** A price in US dollars: 0 or more, at most $1,000. */
const usd = z.coerce.number().min(0, 'must be 0 or more (US dollars)').max(1000);
/** `X_MIN_THRESHOLDS`: `kind:threshold` pairs, comma-separated, e.g. `track:100000000,followers:20000000`. */
const xMinThresholds = z.string().transform((text, ctx) => {
  const out: Partial<Record<MilestoneKind, number>> = {};
  const pairs = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const pair of pairs) {
    const match = /^([A-Za-z]+)\s*:\s*(\d+)$/.exec(pair);
    const kind = milestoneKinds.find((k) => k === match?.[1]);
    if (match === null || kind === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${pair}" is not <kind>:<threshold> with kind one of ${milestoneKinds.join(', ')}`,
      });
      continue;
    }
    out[kind] = Number(match[2]);
  }
  return out;
});

const url = z.url({ message: 'must be a URL' });

/** A setting read by one of the shard-plan parsers, whose problem becomes the issue's message. */
function parsedBy<T>(parse: (raw: string) => { value: T } | { problem: string }) {
  return z.string().transform((text, ctx): T => {
    const parsed = parse(text);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.value;
  });
}

const booleanWords = ['true', 'false', '1', '0'] as const;
/** A yes/no setting: true, false, 1 or 0 (any case). */
const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(booleanWords, { message: 'must be true, false, 1 or 0' }))
  .transform((word) => word === 'true' || word === '1');

/** LOG_FORMAT: `auto` is pretty on a terminal and JSON otherwise. */
export const logFormats = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

const envSchema = z.object({
  REDIS_URL: withDefault(
    z
      .string()
      .refine(
        (value) => splitRedisUrls(value).every((part) => /^rediss?:\/\//.test(part)),
        'must be a redis:// or rediss:// URL (with REDIS_CLUSTER=true, one or several comma-separated)',
      ),
    'redis://127.0.0.1:6379',
  ),
  /** REDIS_URL names seed nodes of a Redis Cluster; QUEUE_PREFIX must then hold a `{…}` hash tag. */
  REDIS_CLUSTER: withDefault(booleanFlag, 'false'),
  QUEUE_PREFIX: withDefault(z.string().regex(/^[^:\s]+$/, 'must not contain ":" or spaces'), 'layover'),
  TRACKING_CONFIG: withDefault(z.string(), 'config/layover.json'),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_PUBLIC_KEY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64-hex-digit Ed25519 public key from the developer portal')
      .optional(),
  ),
  DISCORD_API_URL: withDefault(url, 'https://discord.com/api'),
  /** The moderators' channel: X notices (pauses) and, with X_APPROVAL=discord, X drafts to approve. */
  DISCORD_MOD_CHANNEL_ID: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^\d{17,20}$/, 'must be a channel id (17 to 20 digits; Developer Mode > Copy Channel ID)')
      .optional(),
  ),
  /**
   * A Discord announcement of a milestone observed longer ago than this is a catch-up post: it goes out without
   * the role mention and with SuppressNotifications. 24 h keeps daily data (kworb) pinging.
   */
  ANNOUNCE_PING_MAX_AGE_HOURS: withDefault(
    z.coerce
      .number()
      .min(0)
      .max(24 * 365),
    24,
  ),
  /** At least this long between two edits of one live status board (`/layover-mod board`). */
  BOARD_EDIT_INTERVAL_SECONDS: withDefault(z.coerce.number().int().min(1).max(86_400), 60),
  /**
   * Crossposts per Announcement channel per rolling hour. Discord allows about 10; the rest wait in the
   * crosspost queue for a free slot.
   */
  DISCORD_CROSSPOSTS_PER_HOUR: withDefault(
    z.coerce
      .number({ message: 'must be a whole number of crossposts per hour' })
      .int('must be a whole number of crossposts per hour')
      .min(1, 'must be at least 1 (Discord allows about 10 per channel per hour)')
      .max(100, 'must be at most 100 (Discord allows about 10 per channel per hour)'),
    10,
  ),
  /** Gateway shards this `bot` process runs: auto (every shard), or ids and ranges such as 0,2 or 0-3. */
  DISCORD_SHARDS: withDefault(parsedBy(parseShardIds), 'auto'),
  /** Shards over every process: auto (Discord's recommendation) or a number; required with listed ids. */
  DISCORD_SHARD_COUNT: withDefault(parsedBy(parseShardCount), 'auto'),
  X_APP_KEY: optionalString,
  X_APP_SECRET: optionalString,
  X_ACCESS_TOKEN: optionalString,
  X_ACCESS_SECRET: optionalString,
  X_API_URL: withDefault(url, 'https://api.x.com'),
  X_DAILY_POSTS: withDefault(z.coerce.number().int().min(1).max(100_000), 17),
  /** Dollars X may cost per rolling 24 hours (posts, card metadata, look-ups); unset: no money cap. */
  X_DAILY_SPEND_USD: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().positive('must be a positive amount in US dollars, e.g. 1.50').max(100_000).optional(),
  ),
  /** X's pay-per-use prices in US dollars (X's published rates by default; docs/x.md has their date). */
  X_PRICE_POST_USD: withDefault(usd, 0.015),
  X_PRICE_POST_WITH_URL_USD: withDefault(usd, 0.2),
  X_PRICE_MEDIA_METADATA_USD: withDefault(usd, 0.005),
  X_PRICE_OWNED_READ_USD: withDefault(usd, 0.001),
  X_MIN_THRESHOLDS: withDefault(xMinThresholds, ''),
  X_COMBINE_WINDOW_SECONDS: withDefault(z.coerce.number().int().min(0).max(86_400), 120),
  X_MAX_WAIT_HOURS: withDefault(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365),
    72,
  ),
  X_TIMEOUT_MS: withDefault(z.coerce.number().int().min(100).max(300_000), 15_000),
  X_APPROVAL: withDefault(z.enum(['off', 'discord']), 'off'),
  X_LANGUAGE: withDefault(z.enum(['en', 'ko']), 'en'),
  HTTP_PORT: withDefault(port, 3000),
  /** Address the HTTP server binds: 0.0.0.0 (every IPv4 interface), or 127.0.0.1 behind a reverse proxy. */
  HTTP_HOST: withDefault(z.string().trim().min(1), '0.0.0.0'),
  /** Connections the HTTP server holds at once; more are refused. */
  HTTP_MAX_CONNECTIONS: withDefault(z.coerce.number().int().min(1).max(1_000_000), 1024),
  /** Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto/-For (Secure admin cookie). */
  HTTP_TRUST_PROXY: withDefault(booleanFlag, 'false'),
  INGEST_TOKEN: optionalString,
  /** How far ahead of this server's clock a snapshot's capturedAt may be; later ones are refused at every entrance. */
  CLOCK_SKEW_SECONDS: withDefault(
    z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 86_400),
    600,
  ),
  ADMIN_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(16, 'must be at least 16 characters (it guards the queue admin board)').optional(),
  ),
  SHUTDOWN_TIMEOUT_MS: withDefault(z.coerce.number().int().min(0).max(600_000), 20_000),
  /** Path to the sources file the `poller` role polls (docs/sources.md); no polling without it. */
  SOURCES_CONFIG: optionalString,
  /** Where a host's operator can reach whoever runs this bot; sent in the poller's User-Agent. */
  POLLER_CONTACT_URL: z.preprocess((v) => (v === '' ? undefined : v), url.optional()),
  /** Spotify Web API client credentials, for the `spotify` (followers) source; both or neither. */
  SPOTIFY_CLIENT_ID: optionalString,
  SPOTIFY_CLIENT_SECRET: optionalString,
  /** Spotify's token endpoint and API base (tests point them at a loopback emulator). */
  SPOTIFY_TOKEN_URL: withDefault(url, 'https://accounts.spotify.com/api/token'),
  SPOTIFY_API_URL: withDefault(url, 'https://api.spotify.com/v1'),
  /** YouTube Data API v3 key, for the views source (sent in a header, never in a URL). */
  YOUTUBE_API_KEY: optionalString,
  /** YouTube Data API base (tests point it at a loopback emulator). */
  YOUTUBE_API_URL: withDefault(url, 'https://www.googleapis.com/youtube/v3'),
  /** Units a day the YouTube key may spend; polling keeps to half of it. */
  YOUTUBE_DAILY_QUOTA: withDefault(z.coerce.number().int().min(1).max(1_000_000_000), 10_000),
  /** Where each source keeps the raw bodies of its last SOURCES_RAW_KEEP fetches (`<dir>/<source id>/…`). */
  SOURCES_RAW_DIR: withDefault(z.string().min(1), 'var/sources-raw'),
  /** How many raw fetches each source keeps; 0 keeps none. */
  SOURCES_RAW_KEEP: withDefault(z.coerce.number().int().min(0).max(10_000), 20),
  ROLES: withDefault(
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      )
      .pipe(
        z.array(z.enum(roleNames, { message: `each role must be one of ${roleNames.join(', ')}` })).min(1),
      ),
    roleNames.join(','),
  ),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  /** auto: pretty lines on a terminal, JSON otherwise; or always json / pretty. */
  LOG_FORMAT: withDefault(z.enum(logFormats), 'auto'),
  /**
   * A milestone observed more than this many hours before it would be posted is recorded as skipped (stale data),
   * not posted; 0 turns the limit off.
   */
  ANNOUNCE_MAX_AGE_HOURS: withDefault(
    z.coerce
      .number({ message: 'must be a whole number of hours' })
      .int('must be a whole number of hours')
      .min(0, 'must be 0 (no limit) or more')
      .max(24 * 366, 'must be at most 8784 (a year); use 0 for no limit'),
    48,
  ),
  WORKER_CONCURRENCY: withDefault(z.coerce.number().int().min(1).max(1000), 8),
  PUBLISH_CONCURRENCY: withDefault(z.coerce.number().int().min(1).max(1000), 16),
  /** Extra font files or folders for cards and charts (comma-separated), e.g. a CJK font for Korean cards. */
  CARD_FONTS: optionalString,
  /**
   * Worker threads that draw `/layover status` charts, off the main thread where interactions are answered;
   * 0 draws them on the main thread.
   */
  CHART_WORKERS: withDefault(
    z.coerce
      .number({ message: 'must be a whole number from 0 to 16' })
      .int('must be a whole number from 0 to 16')
      .min(0, 'must be 0 (draw on the main thread) or more')
      .max(16, 'must be at most 16 (each worker holds its own fonts and canvas memory)'),
    1,
  ),
});

/**
 * The settings that are secrets: never logged (src/logger.ts redacts them wherever they appear in a log object),
 * never echoed in an error. A new credential setting goes here; test/unit/secret-settings.test.ts refuses a
 * setting named like a secret (…_TOKEN, …_SECRET, …_KEY, …PASSWORD) that is missing from this list.
 */
export const secretSettings = [
  'DISCORD_TOKEN',
  'X_APP_KEY',
  'X_APP_SECRET',
  'X_ACCESS_TOKEN',
  'X_ACCESS_SECRET',
  'INGEST_TOKEN',
  'ADMIN_TOKEN',
  'SPOTIFY_CLIENT_SECRET',
  'YOUTUBE_API_KEY',
  // Its password, when it has one.
  'REDIS_URL',
] as const satisfies readonly (keyof typeof envSchema.shape)[];

/** Every setting name the environment may hold. */
export const settingNames = Object.keys(envSchema.shape) as readonly (keyof typeof envSchema.shape)[];

const xCredentialNames = ['X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;
const spotifyCredentialNames = ['SPOTIFY_CLIENT_ID', 'SPOTIFY_CLIENT_SECRET'] as const;

/** REDIS_URL and QUEUE_PREFIX as REDIS_CLUSTER needs them (nothing when REDIS_CLUSTER itself is invalid). */
function redisClusterProblems(source: Record<string, string | undefined>): string[] {
  const flag = source.REDIS_CLUSTER;
  const cluster = booleanFlag.safeParse(flag === undefined || flag === '' ? 'false' : flag);
  const redisUrl = source.REDIS_URL ?? '';
  if (!cluster.success) return [];
  if (!cluster.data) {
    return splitRedisUrls(redisUrl).length > 1
      ? ['REDIS_URL: several comma-separated URLs are seed nodes of a Redis Cluster; set REDIS_CLUSTER=true']
      : [];
  }
  // A URL that is not redis:// at all is reported by the schema already.
  const checkSeeds = redisUrl !== '' && splitRedisUrls(redisUrl).every((part) => /^rediss?:\/\//.test(part));
  const problems = checkSeeds ? clusterSeedProblems(redisUrl).map((p) => `REDIS_URL: ${p}`) : [];
  const prefix =
    source.QUEUE_PREFIX === undefined || source.QUEUE_PREFIX === '' ? 'layover' : source.QUEUE_PREFIX;
  if (hashTagOf(prefix) === null) {
    problems.push(
      'QUEUE_PREFIX: with REDIS_CLUSTER=true it must contain a non-empty {…} hash tag, e.g. {layover}: ' +
        "BullMQ's and our Lua scripts and transactions use several keys at once, and on a cluster keys " +
        'without a shared hash tag land on different slots and fail with CROSSSLOT',
    );
  }
  return problems;
}

/** Checks that run on the raw source, so they are reported even when other settings are invalid too. */
function crossFieldProblems(source: Record<string, string | undefined>): string[] {
  const problems = redisClusterProblems(source);
  const set = xCredentialNames.filter((name) => (source[name] ?? '') !== '');
  if (set.length > 0 && set.length < xCredentialNames.length) {
    const missing = xCredentialNames.filter((name) => !set.includes(name));
    problems.push(`X_APP_KEY: X needs all four X_* credentials or none; missing ${missing.join(', ')}`);
  }
  const ids = parseShardIds(source.DISCORD_SHARDS);
  const count = parseShardCount(source.DISCORD_SHARD_COUNT);
  if ('value' in ids && 'value' in count) {
    const plan = shardPlanOf(ids.value, count.value);
    if ('problem' in plan) problems.push(plan.problem);
  }
  const spotify = spotifyCredentialNames.filter((name) => (source[name] ?? '') !== '');
  if (spotify.length === 1) {
    const missing = spotifyCredentialNames.find((name) => !spotify.includes(name));
    problems.push(`SPOTIFY_CLIENT_ID: the Spotify source needs both client credentials; missing ${missing}`);
  }
  return problems;
}

export type Settings = z.output<typeof envSchema> & {
  readonly trackingConfigPaths: readonly string[];
  /** Whether REDIS_URL was given (rather than defaulted). */
  readonly redisUrlExplicit: boolean;
  readonly xEnabled: boolean;
  /** CARD_FONTS split on commas. */
  readonly cardFontPaths: readonly string[];
  /** DISCORD_SHARDS and DISCORD_SHARD_COUNT together: which gateway shards this process runs. */
  readonly discordShardPlan: ShardPlan;
};

/** Raised when settings are invalid; lists every problem, one per line, and never echoes a value. */
export class SettingsError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super('invalid settings', problems);
  }
}

/** Validates settings from `source` (the process environment by default). The only reader of process.env. */
export function loadSettings(source: Record<string, string | undefined> = process.env): Settings {
  const parsed = envSchema.safeParse(source);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`)),
    ...crossFieldProblems(source),
  ];
  if (!parsed.success || problems.length > 0) throw new SettingsError(problems);
  const env = parsed.data;
  const plan = shardPlanOf(env.DISCORD_SHARDS, env.DISCORD_SHARD_COUNT);
  if ('problem' in plan) throw new SettingsError([plan.problem]);
  return {
    ...env,
    trackingConfigPaths: env.TRACKING_CONFIG.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    redisUrlExplicit: source.REDIS_URL !== undefined && source.REDIS_URL !== '',
    xEnabled: env.X_APP_KEY !== undefined,
    discordShardPlan: plan.value,
    cardFontPaths: (env.CARD_FONTS ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  };
}

/** Reads `.env` from the working directory into the process environment, when there is one (existing values win). */
export function readDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Whether standard error is an interactive terminal and CI is not set (for progress bars). */
export function isInteractive(): boolean {
  return process.stderr.isTTY && process.env.CI === undefined;
}

/** The process environment, for commands that validate it themselves with {@link loadSettings}. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
