import { cachedCards, type CardSource } from '../../cards/card-cache.js';
import type { Settings } from '../../env.js';
import type { Logger } from '../../logger.js';
import { stateKeys } from '../../state/keys.js';
import { PostLedgerStore } from '../../state/post-ledger.store.js';
import type { ApprovalGate } from '../approval-gate.js';
import type { ModeratorNotifier } from '../moderator-notifier.js';
import { XClient } from './x-client.js';
import type { RenderXPosts } from './x-post-format.js';
import { XPublisher } from './x-publisher.js';
import type { RedisClient } from '../../redis.js';

/** The X settings ask for something this process cannot do. */
export class XSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XSetupError';
  }
}

/**
 * Builds the X publisher from the settings and verifies the credentials once (`GET /2/users/me`); throws
 * {@link import('./x-verify.js').XCredentialsError} with what to fix when X refuses them. Requires `xEnabled`.
 */
export async function connectX(
  settings: Settings,
  deps: {
    redis: RedisClient;
    render: RenderXPosts;
    notifier: ModeratorNotifier;
    logger: Logger;
    /** Required when `X_APPROVAL=discord`. */
    approval?: ApprovalGate;
    /** Milestone cards for the first post of each group; a cache of its own (`cachedCards()`) when not given. */
    cards?: CardSource;
  },
): Promise<XPublisher> {
  const { X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET } = settings;
  if (
    X_APP_KEY === undefined ||
    X_APP_SECRET === undefined ||
    X_ACCESS_TOKEN === undefined ||
    X_ACCESS_SECRET === undefined
  ) {
    throw new Error('connectX needs all four X_* credentials');
  }
  if (settings.X_APPROVAL === 'discord' && deps.approval === undefined) {
    throw new XSetupError(
      'X_APPROVAL=discord needs the Discord approval channel, which this process does not provide; ' +
        'set X_APPROVAL=off to post without approval',
    );
  }
  return XPublisher.connect({
    client: new XClient({
      credentials: {
        appKey: X_APP_KEY,
        appSecret: X_APP_SECRET,
        accessToken: X_ACCESS_TOKEN,
        accessSecret: X_ACCESS_SECRET,
      },
      apiUrl: settings.X_API_URL,
      timeoutMs: settings.X_TIMEOUT_MS,
    }),
    redis: deps.redis,
    prefix: settings.QUEUE_PREFIX,
    ledger: new PostLedgerStore(deps.redis, stateKeys(settings.QUEUE_PREFIX)),
    render: deps.render,
    notifier: deps.notifier,
    logger: deps.logger.child({ platform: 'x' }),
    dailyPosts: settings.X_DAILY_POSTS,
    dailySpendUsd: settings.X_DAILY_SPEND_USD ?? null,
    prices: {
      postUsd: settings.X_PRICE_POST_USD,
      postWithUrlUsd: settings.X_PRICE_POST_WITH_URL_USD,
      mediaMetadataUsd: settings.X_PRICE_MEDIA_METADATA_USD,
      ownedReadUsd: settings.X_PRICE_OWNED_READ_USD,
    },
    minThresholds: settings.X_MIN_THRESHOLDS,
    combineWindowMs: settings.X_COMBINE_WINDOW_SECONDS * 1000,
    maxWaitMs: settings.X_MAX_WAIT_HOURS * 3_600_000,
    language: settings.X_LANGUAGE,
    cards: deps.cards ?? cachedCards(),
    ...(settings.X_APPROVAL === 'discord' && deps.approval !== undefined ? { approval: deps.approval } : {}),
  });
}
