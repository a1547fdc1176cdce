import { createHash } from 'node:crypto';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { RenderedPosts } from '../../posts/types.js';

const CONTENT_LIMIT = 2000;

/** Discord nonces are at most 25 characters: a ledger key is hashed to 25 base64url characters. */
export function nonceFor(ledgerKey: string): string {
  return createHash('sha256').update(ledgerKey).digest('base64url').slice(0, 25);
}

function fit(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/**
 * The message for one announcement: the role mention (when the guild set one) before the fan text, the embed,
 * `allowed_mentions` that permits exactly that role (so no template can ping @everyone, @here or a user), and
 * the nonce with `enforce_nonce`, so a retried post returns the first message instead of a second one.
 */
export function announcementMessage(
  posts: RenderedPosts,
  options: { readonly roleId: string | null; readonly nonce: string | null },
): RESTPostAPIChannelMessageJSONBody & { content: string } {
  const mention = options.roleId === null ? '' : `<@&${options.roleId}> `;
  const content = mention + fit(posts.discord.content, CONTENT_LIMIT - mention.length);
  return {
    content,
    embeds: [posts.discord.embed],
    allowed_mentions: { parse: [], roles: options.roleId === null ? [] : [options.roleId] },
    ...(options.nonce === null ? {} : { nonce: options.nonce, enforce_nonce: true }),
  };
}
