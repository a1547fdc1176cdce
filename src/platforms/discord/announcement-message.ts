import { createHash } from 'node:crypto';
import { MessageFlags, type RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { DiscordPosts } from './discord-post-format.js';
import { fitEmbeds } from './message-limits.js';

const CONTENT_LIMIT = 2000;

/** An image sent as `files[0]` of a multipart message. */
export interface AttachedImage {
  /** e.g. `card.png`: the embed refers to it as `attachment://card.png`. */
  readonly filename: string;
  /** Alt text (Discord's attachment `description`, at most 1,024 characters). */
  readonly description: string;
}

const DESCRIPTION_LIMIT = 1024;

/** The `attachments` entry describing `files[0]`. */
export function attachmentFor(image: AttachedImage): { id: number; filename: string; description: string } {
  return { id: 0, filename: image.filename, description: fit(image.description, DESCRIPTION_LIMIT) };
}

/**
 * The marker a post carries at the end of its embed footer (`ref <10 characters>`), derived from the ledger key
 * like the nonce: a retry after Discord forgot the nonce finds its own earlier post by it.
 */
export function markerFor(ledgerKey: string): string {
  return `ref ${nonceFor(ledgerKey).slice(0, 10)}`;
}

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
 * the nonce with `enforce_nonce`, so a retried post returns the first message instead of a second one. With an
 * image (the milestone card), the embed shows it (`attachment://<filename>`) and `attachments` gives its alt text;
 * the caller uploads the file as `files[0]`.
 */
export function announcementMessage(
  posts: DiscordPosts,
  options: {
    readonly roleId: string | null;
    readonly nonce: string | null;
    /** An image uploaded with the message as `files[0]`, shown in the embed, with its alt text. */
    readonly image?: AttachedImage | null;
    /** {@link markerFor} of the ledger key, appended to the embed footer; none for samples. */
    readonly marker?: string | null;
    /** A catch-up post: no role mention, and SuppressNotifications so nobody gets a push or desktop alert. */
    readonly catchUp?: boolean;
  },
): RESTPostAPIChannelMessageJSONBody & { content: string } {
  const catchUp = options.catchUp === true;
  const roleId = catchUp ? null : options.roleId;
  const mention = roleId === null ? '' : `<@&${roleId}> `;
  const content = mention + fit(posts.discord.content, CONTENT_LIMIT - mention.length);
  const image = options.image ?? null;
  const marker = options.marker ?? null;
  const base = posts.discord.embed;
  const embed =
    marker === null
      ? base
      : {
          ...base,
          footer: { ...base.footer, text: `${base.footer?.text ?? ''} · ${marker}`.replace(/^ · /, '') },
        };
  return {
    content,
    embeds: fitEmbeds([
      image === null ? embed : { ...embed, image: { url: `attachment://${image.filename}` } },
    ]),
    ...(image === null ? {} : { attachments: [attachmentFor(image)] }),
    allowed_mentions: { parse: [], roles: roleId === null ? [] : [roleId] },
    ...(catchUp ? { flags: MessageFlags.SuppressNotifications } : {}),
    ...(options.nonce === null ? {} : { nonce: options.nonce, enforce_nonce: true }),
  };
}
