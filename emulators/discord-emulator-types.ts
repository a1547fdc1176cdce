/** Shapes of the loopback Discord REST emulator's records, options and faults. */

/** A file part of a multipart/form-data request (`files[n]`), as Discord receives attachments. */
export interface UploadedFile {
  /** The form field, e.g. `files[0]`. */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly data: Buffer;
}

export type RateLimitScope = 'user' | 'global' | 'shared';

export interface RecordedRequest {
  readonly method: string;
  /** Path after the version segment, e.g. `/channels/123/messages`. */
  readonly path: string;
  /** The bucket route, e.g. `POST /channels/:id/messages`. */
  readonly route: string;
  readonly body: unknown;
  /** Files of a multipart/form-data request (`files[n]`); empty for JSON. */
  readonly files: readonly UploadedFile[];
  readonly authorization: string | undefined;
  /** Epoch ms when the request arrived. */
  readonly at: number;
  /** Status sent, or null when the response was never sent (a simulated timeout that the client gave up on). */
  status: number | null;
}

export interface RateLimitHit {
  readonly scope: RateLimitScope;
  readonly route: string;
  readonly path: string;
  readonly at: number;
}

export type ChannelPermission = 'ViewChannel' | 'SendMessages' | 'EmbedLinks' | 'AttachFiles';

export interface EmulatedChannel {
  readonly id: string;
  readonly guildId: string;
  /** 0 text, 5 announcement. */
  readonly type: number;
  /** Permissions the bot lacks in this channel, by Discord's name. */
  missing: Set<ChannelPermission>;
  deleted: boolean;
}

export interface EmulatedMessage {
  readonly id: string;
  readonly channelId: string;
  /** What the message says now (an edit replaces it). */
  content: string;
  embeds: readonly unknown[];
  /** Epoch ms of each accepted edit (`PATCH /channels/:id/messages/:id`), oldest first. */
  readonly edits: number[];
  readonly nonce: string | number | null;
  readonly allowedMentions: unknown;
  /** Attachments as Discord would store them: the uploaded file with the `attachments` metadata's description. */
  readonly attachments: readonly EmulatedAttachment[];
  /** Role ids that this message actually pings, after applying `allowed_mentions`. */
  readonly pingedRoles: readonly string[];
  /** Whether @everyone / @here would ping. */
  readonly pingsEveryone: boolean;
  crossposted: boolean;
  /** Flags sent on create (4 SUPPRESS_EMBEDS, 4096 SUPPRESS_NOTIFICATIONS). */
  readonly flags: number;
  /** Whether anyone gets a push or desktop notification: a ping without SUPPRESS_NOTIFICATIONS. */
  readonly notifies: boolean;
  readonly createdAt: number;
}

export interface EmulatedAttachment {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Alt text (the `attachments[].description` of the payload), or null. */
  readonly description: string | null;
  readonly data: Buffer;
}

/** A one-shot misbehaviour for the next message POST to a channel. */
export type Fault =
  | {
      readonly kind: 'timeout';
      /** Create the message before stalling (the worst case: the post exists, the client never hears). */
      readonly createFirst: boolean;
      /** How long to hold the response before sending it (the client has usually given up by then). */
      readonly holdMs: number;
    }
  | { readonly kind: 'status'; readonly status: number; readonly code: number; readonly message: string }
  | { readonly kind: 'shared429'; readonly retryAfterMs: number };

export interface DiscordEmulatorOptions {
  /** Requests per second across the whole bot (a sliding one-second window). Default 50, as Discord. */
  readonly globalPerSecond?: number;
  /** Messages per channel per `messageWindowMs`. Default 5 per 5 s, as Discord's POST /channels/:id/messages. */
  readonly messagesPerChannel?: number;
  readonly messageWindowMs?: number;
  /**
   * Crossposts per Announcement channel per `crosspostWindowMs` (POST /channels/:id/messages/:id/crosspost).
   * Default 10 per hour, as Discord.
   */
  readonly crosspostsPerChannel?: number;
  readonly crosspostWindowMs?: number;
  /** How long a nonce is remembered with `enforce_nonce`. Default 5 minutes. */
  readonly nonceTtlMs?: number;
  /** Token the emulator expects in `Authorization: Bot <token>`. Default `test-token`. */
  readonly token?: string;
  /** The bot's user id (messages' author). */
  readonly botUserId?: string;
}
