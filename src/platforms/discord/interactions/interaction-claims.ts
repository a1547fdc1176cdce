import type { RedisClient } from '../../../redis.js';
import type { StateKeys } from '../../../state/keys.js';

/**
 * Takes an interaction for this process: true for the first process to ask, false for any other. Used on the
 * gateway, where two processes connected with the same shard would both receive every interaction of its servers.
 */
export type ClaimInteraction = (interactionId: string) => Promise<boolean>;

/** An interaction token lives 15 minutes; after that nobody can answer it, so the claim may go. */
const INTERACTION_TOKEN_MS = 15 * 60_000;

/** Claims shared through Redis (`SET NX` with the token's lifetime), so every process sees the same answer. */
export function redisInteractionClaims(redis: RedisClient, keys: StateKeys): ClaimInteraction {
  return async (interactionId) =>
    (await redis.set(keys.discordInteractionClaim(interactionId), '1', 'PX', INTERACTION_TOKEN_MS, 'NX')) ===
    'OK';
}
