import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { attachmentsFrom, json, readBody, routeOf } from './discord-emulator-http.js';
import { InteractionsEmulator } from './discord-emulator-interactions.js';
import { invalidFormBody, messageBodyProblems } from './discord-emulator-limits.js';
import type {
  ChannelPermission,
  DiscordEmulatorOptions,
  EmulatedChannel,
  EmulatedMessage,
  Fault,
  RateLimitHit,
  RateLimitScope,
  RecordedRequest,
  UploadedFile,
} from './discord-emulator-types.js';

export type * from './discord-emulator-types.js';

/**
 * A loopback stand-in for Discord's REST API: a real HTTP server on 127.0.0.1 (port 0) that records every request,
 * enforces a global limit and per-route buckets with Discord's headers and 429 bodies, honours `nonce` with
 * `enforce_nonce`, and can be told to time out, refuse (403 50013 / 50001) or forget a channel (404 10003).
 *
 * Point `@discordjs/rest` at {@link DiscordEmulator.api} (its `api` option); the version segment (`/v10`) is
 * accepted and ignored.
 */

interface Bucket {
  count: number;
  resetAt: number;
}

const DISCORD_EPOCH = 1420070400000n;

/** The loopback Discord REST emulator. Create with {@link DiscordEmulator.start}. */
export class DiscordEmulator {
  readonly requests: RecordedRequest[] = [];
  readonly rateLimitHits: RateLimitHit[] = [];
  readonly channels = new Map<string, EmulatedChannel>();
  readonly messages = new Map<string, EmulatedMessage>();
  /** Bodies of PUT /applications/:id[/guilds/:id]/commands, keyed by `global` or the guild id. */
  readonly commands = new Map<string, unknown>();
  /**
   * Discord's record of interactions: register each one before the bot receives it (the gateway emulator and
   * the interactions test app do); first responses, edits and follow-ups are checked against it.
   */
  readonly interactions = new InteractionsEmulator((messageId, body) =>
    this.updateByInteraction(messageId, body),
  );
  /** Interaction callbacks and webhook edits/follow-ups Discord accepted, in order (with files when multipart). */
  readonly interactionReplies: {
    readonly path: string;
    readonly method: string;
    readonly body: unknown;
    readonly files: readonly UploadedFile[];
  }[] = [];
  /** Epoch ms of every counted request in the last second (the global window). */
  private globalWindow: number[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly crosspostFaults = new Map<string, Extract<Fault, { kind: 'status' }>[]>();
  private readonly held = new Set<ServerResponse>();
  private sequence = 0n;
  /** What GET /gateway/bot answers (a {@link import('./discord-gateway-emulator.js').DiscordGatewayEmulator}). */
  gatewayUrl: string | null = null;
  /** The shard count GET /gateway/bot recommends. */
  recommendedShards = 1;
  /** `session_start_limit.max_concurrency` of GET /gateway/bot: how many shards may identify at once. */
  maxConcurrency = 1;
  private readonly options: Required<DiscordEmulatorOptions>;

  private constructor(
    private readonly server: Server,
    options: DiscordEmulatorOptions,
  ) {
    this.options = {
      globalPerSecond: options.globalPerSecond ?? 50,
      messagesPerChannel: options.messagesPerChannel ?? 5,
      messageWindowMs: options.messageWindowMs ?? 5000,
      crosspostsPerChannel: options.crosspostsPerChannel ?? 10,
      crosspostWindowMs: options.crosspostWindowMs ?? 3_600_000,
      nonceTtlMs: options.nonceTtlMs ?? 5 * 60_000,
      token: options.token ?? 'test-token',
      botUserId: options.botUserId ?? '100000000000000001',
    };
  }

  /** Starts listening on 127.0.0.1, on a free port. */
  static async start(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    const server = createServer();
    const emulator = new DiscordEmulator(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      emulator
        .handle(req, res)
        .catch((error: unknown) => json(res, 500, { message: String(error), code: 0 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return emulator;
  }

  /** Base URL for `@discordjs/rest`'s `api` option (and `DISCORD_API_URL`). */
  get api(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  get token(): string {
    return this.options.token;
  }

  get botUserId(): string {
    return this.options.botUserId;
  }

  /** A fresh snowflake (ids are increasing). */
  snowflake(): string {
    this.sequence += 1n;
    return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (this.sequence & 0xfffn));
  }

  /** Adds a channel the bot can see, send and embed in. */
  addChannel(channel: { id?: string; guildId?: string; type?: number } = {}): EmulatedChannel {
    const created: EmulatedChannel = {
      id: channel.id ?? this.snowflake(),
      guildId: channel.guildId ?? this.snowflake(),
      type: channel.type ?? 0,
      missing: new Set(),
      deleted: false,
    };
    this.channels.set(created.id, created);
    return created;
  }

  /** The channel disappears: every request to it gets 404 Unknown Channel (10003). */
  deleteChannel(id: string): void {
    const channel = this.channels.get(id);
    if (channel) channel.deleted = true;
  }

  /** The bot loses a permission in the channel. */
  revoke(id: string, permission: ChannelPermission): void {
    this.channels.get(id)?.missing.add(permission);
  }

  /** Queues a one-shot fault for the next message POST to `channelId`. */
  failNext(channelId: string, fault: Fault): void {
    const list = this.faults.get(channelId) ?? [];
    list.push(fault);
    this.faults.set(channelId, list);
  }

  /** Queues a one-shot answer (a 5xx, say) for the next crosspost request in `channelId`. */
  failNextCrosspost(channelId: string, fault: Extract<Fault, { kind: 'status' }>): void {
    const list = this.crosspostFaults.get(channelId) ?? [];
    list.push(fault);
    this.crosspostFaults.set(channelId, list);
  }

  /** Crosspost requests Discord carried out, in order, with when they arrived. */
  crossposts(channelId?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.route === 'POST /channels/:id/messages/:id/crosspost' &&
        r.status === 200 &&
        (channelId === undefined || r.path.startsWith(`/channels/${channelId}/`)),
    );
  }

  /** Forgets every nonce, as Discord does a few minutes after a message was created. */
  forgetNonces(): void {
    this.nonces.clear();
  }

  /** Someone deletes a message (a moderator, say): it is gone, and requests for it get 404 Unknown Message (10008). */
  deleteMessage(id: string): void {
    this.messages.delete(id);
  }

  messagesIn(channelId: string): EmulatedMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId);
  }

  /** 429s by scope. */
  rateLimitCount(scope: RateLimitScope): number {
    return this.rateLimitHits.filter((h) => h.scope === scope).length;
  }

  /** Largest number of counted requests that arrived within any one second. */
  peakPerSecond(): number {
    const times = this.requests.filter((r) => r.route.includes('/interactions/') === false).map((r) => r.at);
    times.sort((a, b) => a - b);
    let peak = 0;
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      while ((times[end] as number) - (times[start] as number) >= 1000) start += 1;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }

  /** Stops the server; safe to call more than once. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const method = (req.method ?? 'GET').toUpperCase();
    const { body, files } = await readBody(req);
    const { route, major } = routeOf(method, path);
    const now = Date.now();
    const recorded: RecordedRequest = {
      method,
      path,
      route,
      body,
      files,
      authorization: req.headers.authorization,
      at: now,
      status: null,
    };
    this.requests.push(recorded);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      json(res, status, payload, headers);
    };

    const isInteractionRoute = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!isInteractionRoute && req.headers.authorization !== `Bot ${this.options.token}`) {
      return send(401, { message: '401: Unauthorized', code: 0 });
    }

    // Global limit (interaction endpoints are exempt, as on Discord).
    if (!isInteractionRoute) {
      this.globalWindow = this.globalWindow.filter((t) => now - t < 1000);
      if (this.globalWindow.length >= this.options.globalPerSecond) {
        const retryAfter = ((this.globalWindow[0] as number) + 1000 - now) / 1000;
        this.rateLimitHits.push({ scope: 'global', route, path, at: now });
        return send(
          429,
          { message: 'You are being rate limited.', retry_after: retryAfter, global: true, code: 0 },
          {
            'Retry-After': String(Math.max(1, Math.ceil(retryAfter))),
            'X-RateLimit-Global': 'true',
            'X-RateLimit-Scope': 'global',
          },
        );
      }
      this.globalWindow.push(now);
    }

    // Per-route bucket: one per (route, major parameter), Discord's shape.
    const { limit, windowMs } = this.limitFor(route);
    const bucketKey = `${route}|${major}`;
    let bucket = this.buckets.get(bucketKey);
    if (bucket === undefined || bucket.resetAt <= now) {
      bucket = { count: 0, resetAt: now + windowMs };
      this.buckets.set(bucketKey, bucket);
    }
    const resetAfter = (bucket.resetAt - now) / 1000;
    const bucketHeaders = (remaining: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': (bucket.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Bucket': createHash('sha1').update(route).digest('hex').slice(0, 16),
    });
    if (bucket.count >= limit) {
      this.rateLimitHits.push({ scope: 'user', route, path, at: now });
      return send(
        429,
        { message: 'You are being rate limited.', retry_after: resetAfter, global: false, code: 0 },
        {
          ...bucketHeaders(0),
          'Retry-After': String(Math.max(1, Math.ceil(resetAfter))),
          'X-RateLimit-Scope': 'user',
        },
      );
    }
    bucket.count += 1;
    const headers = bucketHeaders(limit - bucket.count);

    const channelMatch = /^\/channels\/(\d+)(\/.*)?$/.exec(path);
    if (channelMatch) {
      const channel = this.channels.get(channelMatch[1] as string);
      if (channel === undefined || channel.deleted) {
        return send(404, { message: 'Unknown Channel', code: 10003 }, headers);
      }
      if (channel.missing.has('ViewChannel'))
        return send(403, { message: 'Missing Access', code: 50001 }, headers);
      const rest = channelMatch[2] ?? '';
      if (method === 'GET' && rest === '') {
        return send(200, { id: channel.id, guild_id: channel.guildId, type: channel.type }, headers);
      }
      if (method === 'GET' && rest === '/messages') {
        const limit = Number(url.searchParams.get('limit') ?? '50');
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          return send(400, invalidFormBody(['limit: 1 to 100']), headers);
        }
        const newest = this.messagesIn(channel.id).sort(
          (a, b) => b.createdAt - a.createdAt || (b.id > a.id ? 1 : -1),
        );
        return send(
          200,
          newest.slice(0, limit).map((m) => ({ ...this.messageJson(m), nonce: undefined })),
          headers,
        );
      }
      if (method === 'POST' && rest === '/messages')
        return this.createMessage(channel, body, files, res, recorded, headers);
      const single = /^\/messages\/(\d+)$/.exec(rest);
      if (single && (method === 'PATCH' || method === 'DELETE')) {
        const message = this.messages.get(single[1] as string);
        if (message === undefined || message.channelId !== channel.id) {
          return send(404, { message: 'Unknown Message', code: 10008 }, headers);
        }
        if (method === 'DELETE') {
          this.messages.delete(message.id);
          recorded.status = 204;
          res.writeHead(204, headers);
          res.end();
          return;
        }
        return this.editMessage(message, body, send, headers);
      }
      const crosspost = /^\/messages\/(\d+)\/crosspost$/.exec(rest);
      if (method === 'POST' && crosspost) {
        const fault = this.crosspostFaults.get(channel.id)?.shift();
        if (fault !== undefined) {
          return send(fault.status, { message: fault.message, code: fault.code }, headers);
        }
        // Our own messages need Send Messages (others' would need Manage Messages too).
        if (channel.missing.has('SendMessages'))
          return send(403, { message: 'Missing Permissions', code: 50013 }, headers);
        const message = this.messages.get(crosspost[1] as string);
        if (message === undefined || message.channelId !== channel.id) {
          return send(404, { message: 'Unknown Message', code: 10008 }, headers);
        }
        if (channel.type !== 5) {
          return send(400, { message: 'Cannot execute action on this channel type', code: 50024 }, headers);
        }
        if (message.crossposted) {
          return send(400, { message: 'This message has already been crossposted.', code: 40033 }, headers);
        }
        message.crossposted = true;
        return send(200, this.messageJson(message), headers);
      }
    }

    if (method === 'GET' && path === '/gateway/bot' && this.gatewayUrl !== null) {
      return send(
        200,
        {
          url: this.gatewayUrl,
          shards: this.recommendedShards,
          session_start_limit: {
            total: 1000,
            remaining: 1000,
            reset_after: 0,
            max_concurrency: this.maxConcurrency,
          },
        },
        headers,
      );
    }

    const commandsMatch = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commandsMatch && method === 'PUT') {
      this.commands.set(commandsMatch[2] ?? 'global', body);
      const list = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
      return send(
        200,
        list.map((c) => ({ ...c, id: this.snowflake(), application_id: commandsMatch[1] })),
        headers,
      );
    }

    if (isInteractionRoute) {
      const answer = this.interactionRequest(method, path, body);
      if (answer.status < 300) this.interactionReplies.push({ path, method, body, files });
      return send(answer.status, answer.body, headers);
    }

    return send(404, { message: '404: Not Found', code: 0 }, headers);
  }

  /** The interaction endpoints: callback, edit of `@original`, follow-up. */
  private interactionRequest(method: string, path: string, body: unknown): { status: number; body: unknown } {
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (method === 'POST' && callback) return this.interactions.respond(callback[2]!, callback[1]!, body);
    const original = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path);
    if (method === 'PATCH' && original) {
      const answer = this.interactions.editOriginal(original[1]!, body);
      return answer.status < 300
        ? { status: 200, body: { id: this.snowflake(), ...(answer.body as object) } }
        : answer;
    }
    const followUp = /^\/webhooks\/\d+\/([^/]+)$/.exec(path);
    if (method === 'POST' && followUp) {
      const answer = this.interactions.followUp(followUp[1]!, body);
      return answer.status < 300
        ? { status: 200, body: { id: this.snowflake(), ...(answer.body as object) } }
        : answer;
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /**
   * A component's message changed by the answer to a click on it (UPDATE_MESSAGE, or an edit of `@original` after
   * it): the content and embeds given replace the message's. Not counted in `edits` (the bot's own PATCHes).
   */
  private updateByInteraction(messageId: string, body: Record<string, unknown>): void {
    const message = this.messages.get(messageId);
    if (message === undefined) return;
    if (typeof body.content === 'string') message.content = body.content;
    if (Array.isArray(body.embeds)) message.embeds = body.embeds;
  }

  /**
   * `PATCH /channels/:id/messages/:id` of the bot's own message: the fields given replace the message's, within
   * the same limits as a new message; only SUPPRESS_EMBEDS may be set in `flags`.
   */
  private editMessage(
    message: EmulatedMessage,
    body: unknown,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
    headers: Record<string, string>,
  ): void {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const problems = messageBodyProblems(b);
    const flags = typeof b.flags === 'number' ? b.flags : 0;
    if ((flags & ~4) !== 0) problems.push(`flags: ${flags} cannot be set on an edit`);
    const content = typeof b.content === 'string' ? b.content : b.content === null ? '' : message.content;
    const embeds = Array.isArray(b.embeds) ? b.embeds : b.embeds === null ? [] : message.embeds;
    if (content === '' && embeds.length === 0 && message.attachments.length === 0) {
      problems.push('an edit cannot leave the message empty');
    }
    if (problems.length > 0) return send(400, invalidFormBody(problems), headers);
    message.content = content;
    message.embeds = embeds;
    message.edits.push(Date.now());
    return send(200, this.messageJson(message), headers);
  }

  private limitFor(route: string): { limit: number; windowMs: number } {
    if (route === 'POST /channels/:id/messages') {
      return { limit: this.options.messagesPerChannel, windowMs: this.options.messageWindowMs };
    }
    // Discord: about 10 crossposts per channel per hour.
    if (route.endsWith('/crosspost')) {
      return { limit: this.options.crosspostsPerChannel, windowMs: this.options.crosspostWindowMs };
    }
    return { limit: 10, windowMs: 10_000 };
  }

  private async createMessage(
    channel: EmulatedChannel,
    body: unknown,
    files: readonly UploadedFile[],
    res: ServerResponse,
    recorded: RecordedRequest,
    headers: Record<string, string>,
  ): Promise<void> {
    const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      recorded.status = status;
      json(res, status, payload, { ...headers, ...extra });
    };
    const fault = this.faults.get(channel.id)?.shift();
    if (fault?.kind === 'status') return send(fault.status, { message: fault.message, code: fault.code });
    if (fault?.kind === 'shared429') {
      this.rateLimitHits.push({
        scope: 'shared',
        route: recorded.route,
        path: recorded.path,
        at: Date.now(),
      });
      const seconds = fault.retryAfterMs / 1000;
      return send(
        429,
        { message: 'The resource is being rate limited.', retry_after: seconds, global: false, code: 0 },
        { 'Retry-After': String(Math.max(1, Math.ceil(seconds))), 'X-RateLimit-Scope': 'shared' },
      );
    }
    if (channel.missing.has('SendMessages'))
      return send(403, { message: 'Missing Permissions', code: 50013 });
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const content = typeof b.content === 'string' ? b.content : '';
    const embeds = Array.isArray(b.embeds) ? b.embeds : [];
    if (embeds.length > 0 && channel.missing.has('EmbedLinks')) {
      return send(403, { message: 'Missing Permissions', code: 50013 });
    }
    if (files.length > 0 && channel.missing.has('AttachFiles')) {
      return send(403, { message: 'Missing Permissions', code: 50013 });
    }
    const nonce = typeof b.nonce === 'string' || typeof b.nonce === 'number' ? b.nonce : null;
    const problems = messageBodyProblems(b);
    if (typeof nonce === 'string' && nonce.length > 25) problems.push('nonce: at most 25 characters');
    if (problems.length > 0) return send(400, invalidFormBody(problems));
    // On create Discord accepts only SUPPRESS_EMBEDS (4) and SUPPRESS_NOTIFICATIONS (4096).
    const flags = typeof b.flags === 'number' ? b.flags : 0;
    if ((flags & ~(4 | 4096)) !== 0) return send(400, invalidFormBody([`flags: ${flags} is not allowed`]));
    const attachments = attachmentsFrom(b.attachments, files, () => this.snowflake());
    if (attachments === null) return send(400, { message: 'Invalid Form Body', code: 50035 });
    if (content === '' && embeds.length === 0 && attachments.length === 0) {
      return send(400, { message: 'Cannot send an empty message', code: 50006 });
    }
    const now = Date.now();
    if (nonce !== null && b.enforce_nonce === true) {
      const seen = this.nonces.get(`${channel.id}|${nonce}`);
      const existing =
        seen && now - seen.at < this.options.nonceTtlMs ? this.messages.get(seen.messageId) : undefined;
      if (existing) return send(200, this.messageJson(existing));
    }
    const allowed = b.allowed_mentions as { parse?: string[]; roles?: string[] } | undefined;
    const mentionedRoles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] as string);
    const parse = allowed === undefined ? ['users', 'roles', 'everyone'] : (allowed.parse ?? []);
    const pingedRoles = mentionedRoles.filter(
      (r) => parse.includes('roles') || (allowed?.roles ?? []).includes(r),
    );
    const message: EmulatedMessage = {
      id: this.snowflake(),
      channelId: channel.id,
      content,
      embeds,
      nonce,
      allowedMentions: allowed ?? null,
      attachments,
      pingedRoles,
      pingsEveryone: /@(everyone|here)/.test(content) && parse.includes('everyone'),
      notifies: (flags & 4096) === 0 && (pingedRoles.length > 0 || /@(everyone|here)/.test(content)),
      crossposted: false,
      flags,
      createdAt: now,
      edits: [],
    };
    this.messages.set(message.id, message);
    if (nonce !== null) this.nonces.set(`${channel.id}|${nonce}`, { messageId: message.id, at: now });
    if (fault?.kind === 'timeout') {
      if (!fault.createFirst) this.messages.delete(message.id);
      this.held.add(res);
      await sleep(fault.holdMs);
      this.held.delete(res);
      if (res.destroyed) return;
      if (!fault.createFirst) return send(500, { message: 'timed out', code: 0 });
    }
    return send(200, this.messageJson(message));
  }

  private messageJson(message: EmulatedMessage): Record<string, unknown> {
    return {
      id: message.id,
      channel_id: message.channelId,
      content: message.content,
      embeds: message.embeds,
      nonce: message.nonce,
      author: { id: this.options.botUserId, username: 'layover', bot: true },
      timestamp: new Date(message.createdAt).toISOString(),
      edited_timestamp: message.edits.length === 0 ? null : new Date(message.edits.at(-1)!).toISOString(),
      flags: message.flags | (message.crossposted ? 1 : 0),
      mention_roles: message.pingedRoles,
      mention_everyone: message.pingsEveryone,
      attachments: message.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        size: a.size,
        content_type: a.contentType,
        ...(a.description === null ? {} : { description: a.description }),
        url: `https://cdn.discordapp.com/attachments/${message.channelId}/${a.id}/${a.filename}`,
      })),
    };
  }
}
