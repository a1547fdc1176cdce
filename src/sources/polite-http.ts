import { setTimeout as sleep } from 'node:timers/promises';
import type { HostLock } from './host-lock.js';
import { SourceError } from './source.js';

/** What a source needs from HTTP: the status and the raw bytes (decoding is the source's business). */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string | null;
  /** The `Retry-After` header, when the server sent one (a 429 or 503). */
  readonly retryAfter?: string | null;
  readonly body: Uint8Array;
}

/** One request: GET by default. Header values are never logged. */
export interface HttpRequest {
  readonly accept: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface PoliteHttpOptions {
  /** Sent on every request; should name the project and a contact URL (see {@link userAgentFor}). */
  readonly userAgent: string;
  /** Whole-request limit (connect, headers and body), milliseconds. */
  readonly timeoutMs: number;
  /** Least time between the end of one request and the start of the next to the same host, milliseconds. */
  readonly minGapMs?: number;
  /** Largest body read; a longer answer is an error (default 8 MiB). */
  readonly maxBytes?: number;
  /** Extends "one request at a time per host" (and the gap) to every process sharing the lock. */
  readonly hostLock?: HostLock;
}

/** The User-Agent for polls: the project, its version and, when configured, where to reach the operator. */
export function userAgentFor(version: string, contactUrl: string | undefined): string {
  return contactUrl === undefined ? `layover-bot/${version}` : `layover-bot/${version} (+${contactUrl})`;
}

/**
 * HTTP GET for pollers that is polite to the hosts it reads: one request at a time per host (in this process, and
 * across processes with a {@link HostLock}),
 * a pause between requests to the same host, a timeout on the whole request, a bounded body, and a User-Agent
 * naming the project. Every failure is a {@link SourceError} that names the URL.
 */
export class PoliteHttpClient {
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(private readonly options: PoliteHttpOptions) {}

  /** GETs `url` once its host's earlier requests are done. Non-2xx answers are returned, not thrown. */
  get(url: string, accept: string): Promise<HttpAnswer> {
    return this.send(url, { accept });
  }

  /** Any request (an API's token POST, a GET with an Authorization header), queued like {@link get}. */
  send(url: string, request: HttpRequest): Promise<HttpAnswer> {
    const host = new URL(url).host;
    const previous = this.lanes.get(host) ?? Promise.resolve();
    const run = previous.then(() => this.exclusive(host, () => this.request(url, request)));
    const lane = run.catch(() => undefined).then(() => sleep(this.options.minGapMs ?? 0));
    this.lanes.set(host, lane);
    void lane.then(() => {
      if (this.lanes.get(host) === lane) this.lanes.delete(host);
    });
    return run;
  }

  private async exclusive<T>(host: string, work: () => Promise<T>): Promise<T> {
    const lock = this.options.hostLock;
    if (lock === undefined) return work();
    const gapMs = this.options.minGapMs ?? 0;
    const holdMs = this.options.timeoutMs + gapMs + 5_000;
    const release = await lock.acquire(host, holdMs, holdMs);
    try {
      return await work();
    } finally {
      await release(gapMs).catch(() => undefined);
    }
  }

  private async request(url: string, request: HttpRequest): Promise<HttpAnswer> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const maxBytes = this.options.maxBytes ?? 8 * 1024 * 1024;
    try {
      const response = await fetch(url, {
        method: request.method ?? 'GET',
        headers: { ...request.headers, 'user-agent': this.options.userAgent, accept: request.accept },
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: 'follow',
        signal,
      });
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (response.body !== null) {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            await response.body.cancel().catch(() => undefined);
            throw new SourceError(`${url}: answer larger than ${maxBytes} bytes`);
          }
          chunks.push(chunk);
        }
      }
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        body: concat(chunks, size),
      };
    } catch (error) {
      if (error instanceof SourceError) throw error;
      if (signal.aborted)
        throw new SourceError(`${url}: no complete answer within ${this.options.timeoutMs} ms`);
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      throw new SourceError(
        `${url}: request failed (${cause?.code ?? cause?.message ?? (error as Error).message})`,
      );
    }
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Decodes bytes as UTF-8 whatever the server declared (kworb serves UTF-8 without a charset). */
export function decodeUtf8(body: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(body);
}
