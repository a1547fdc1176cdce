import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One post the emulated platform created (its own record, independent of our ledger). */
export interface CreatedPost {
  readonly id: string;
  readonly destination: string;
  readonly key: string;
  readonly text: string;
}

export interface LoopbackPlatformStats {
  readonly requests: number;
  readonly created: number;
  /** Discord-style: a repeated nonce with enforce_nonce answered with the original message. */
  readonly nonceReplays: number;
  /** X-style: a repeated text refused as a duplicate. */
  readonly duplicateRefusals: number;
}

/**
 * A loopback stand-in for Discord and X that records every post it creates and deduplicates the way the real ones
 * do: `POST /channels/:id/messages` with `nonce` and `enforce_nonce: true` answers a repeated nonce with the
 * message it already created (Discord); `POST /2/tweets` refuses a repeated text on the account with 403 and
 * "duplicate content" (X). Each answer is delayed by 0..`maxDelayMs` after the post is recorded, widening the
 * window in which a client can die between the platform's answer and its own ledger write.
 */
export class LoopbackPlatform {
  private readonly server: Server;
  private readonly posts: CreatedPost[] = [];
  private readonly byKey = new Map<string, CreatedPost>();
  private counters = { requests: 0, nonceReplays: 0, duplicateRefusals: 0 };

  private constructor(private readonly maxDelayMs: number) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(maxDelayMs = 0): Promise<LoopbackPlatform> {
    const platform = new LoopbackPlatform(maxDelayMs);
    await new Promise<void>((resolve) => platform.server.listen(0, '127.0.0.1', resolve));
    return platform;
  }

  get url(): string {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  created(): readonly CreatedPost[] {
    return this.posts;
  }

  stats(): LoopbackPlatformStats {
    return { ...this.counters, created: this.posts.length };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET') {
      res.writeHead(204).end();
      return;
    }
    this.counters.requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
    } catch {
      return this.answer(res, 400, { message: 'bad json' });
    }
    const discord = /^\/channels\/([^/]+)\/messages$/.exec(req.url ?? '');
    if (req.method === 'POST' && discord) {
      const destination = `discord:${discord[1]}`;
      const nonce = typeof body.nonce === 'string' ? body.nonce : '';
      const text = typeof body.content === 'string' ? body.content : '';
      const existing =
        body.enforce_nonce === true && nonce !== '' ? this.byKey.get(`${destination}|${nonce}`) : undefined;
      if (existing) {
        this.counters.nonceReplays += 1;
        return this.answer(res, 200, { id: existing.id, content: existing.text, nonce });
      }
      const post = this.create(destination, nonce === '' ? `anon-${this.posts.length}` : nonce, text);
      return this.answer(res, 200, { id: post.id, content: text, nonce });
    }
    if (req.method === 'POST' && req.url === '/2/tweets') {
      const destination = 'x:main';
      const text = typeof body.text === 'string' ? body.text : '';
      if (this.byKey.has(`${destination}|${text}`)) {
        this.counters.duplicateRefusals += 1;
        return this.answer(res, 403, {
          detail: 'You are not allowed to create a Tweet with duplicate content.',
        });
      }
      const post = this.create(destination, text, text);
      return this.answer(res, 201, { data: { id: post.id, text } });
    }
    return this.answer(res, 404, { message: 'not found' });
  }

  private create(destination: string, key: string, text: string): CreatedPost {
    const post = { id: String(1_000_000 + this.posts.length), destination, key, text };
    this.posts.push(post);
    this.byKey.set(`${destination}|${key}`, post);
    return post;
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (this.maxDelayMs > 0) setTimeout(send, Math.floor(Math.random() * this.maxDelayMs));
    else send();
  }
}
