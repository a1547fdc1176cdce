import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest, parseMultipart, problem } from './x-emulator-protocol.js';

/** One media upload (`POST /2/media/upload/initialize`, `…/append`, `…/finalize`, `POST /2/media/metadata`). */
export interface EmulatedMedia {
  readonly id: string;
  readonly mediaType: string;
  readonly mediaCategory: string | null;
  /** `total_bytes` as announced at initialize. */
  readonly totalBytes: number;
  /** The appended segments by `segment_index`. */
  readonly segments: Map<number, Buffer>;
  /** The whole file, set at finalize. */
  bytes: Buffer | null;
  altText: string | null;
}

/** What the media endpoints need from the emulator around them. */
export interface MediaHost {
  send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string>,
    authProblems: string[],
  ): void;
  nextId(): string;
  now(): number;
}

/** The emulator's v2 media endpoints, with the uploads they received and scripted failures. */
export class EmulatedMediaEndpoints {
  /** Every upload begun, finalized or not. */
  readonly media: EmulatedMedia[] = [];
  /** Scripted answers for the next media requests. */
  readonly failures: ('unavailable' | 'badRequest')[] = [];

  constructor(private readonly host: MediaHost) {}

  /** The v2 media endpoints: chunked upload (initialize, append, finalize) and metadata (alt text). */
  handle(req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): void {
    const bad = (detail: string) =>
      this.host.send(req, res, 400, invalidRequest([{ message: detail }]), {}, []);
    const failure = this.failures.shift();
    if (failure === 'unavailable') {
      this.host.send(req, res, 503, problem(503, 'Service Unavailable', 'Service Unavailable'), {}, []);
      return;
    }
    if (failure === 'badRequest') {
      bad('media type not accepted');
      return;
    }
    if (path === '/2/media/upload/initialize') {
      const body = JSON.parse(raw.toString('utf8')) as {
        media_type?: unknown;
        total_bytes?: unknown;
        media_category?: unknown;
      };
      if (typeof body.media_type !== 'string' || typeof body.total_bytes !== 'number') {
        bad('media_type and total_bytes are required');
        return;
      }
      const id = this.host.nextId();
      this.media.push({
        id,
        mediaType: body.media_type,
        mediaCategory: typeof body.media_category === 'string' ? body.media_category : null,
        totalBytes: body.total_bytes,
        segments: new Map(),
        bytes: null,
        altText: null,
      });
      this.host.send(
        req,
        res,
        200,
        { data: { id, media_key: `3_${id}`, expires_after_secs: 86_400 } },
        {},
        [],
      );
      return;
    }
    if (path === '/2/media/metadata') {
      const body = JSON.parse(raw.toString('utf8')) as {
        id?: unknown;
        metadata?: { alt_text?: { text?: unknown } };
      };
      const media = this.media.find((m) => m.id === body.id && m.bytes !== null);
      const text = body.metadata?.alt_text?.text;
      if (media === undefined) return bad('media id not uploaded');
      if (typeof text !== 'string' || [...text].length > 1000)
        return bad('alt_text.text: 1 to 1000 characters');
      media.altText = text;
      this.host.send(
        req,
        res,
        200,
        { data: { id: media.id, associated_metadata: { alt_text: { text } } } },
        {},
        [],
      );
      return;
    }
    const match = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path);
    const media = this.media.find((m) => m.id === match?.[1]);
    if (match === null || media === undefined) {
      this.host.send(req, res, 404, problem(404, 'Not Found Error', `no route ${path}`), {}, []);
      return;
    }
    if (media.bytes !== null) return bad('media already finalized');
    if (match[2] === 'append') {
      const contentType = req.headers['content-type'] ?? '';
      if (!contentType.startsWith('multipart/form-data')) return bad('append takes multipart/form-data');
      const form = parseMultipart(raw, contentType);
      const index = Number(form.get('segment_index')?.toString('utf8'));
      const chunk = form.get('media');
      if (!Number.isInteger(index) || index < 0 || chunk === undefined)
        return bad('segment_index and media are required');
      media.segments.set(index, chunk);
      this.host.send(
        req,
        res,
        200,
        { data: { expires_at: Math.floor(this.host.now() / 1000) + 86_400 } },
        {},
        [],
      );
      return;
    }
    const indexes = [...media.segments.keys()].sort((a, b) => a - b);
    if (indexes.some((value, i) => value !== i)) return bad('segments missing');
    const bytes = Buffer.concat(indexes.map((i) => media.segments.get(i) as Buffer));
    if (bytes.length !== media.totalBytes)
      return bad(`got ${bytes.length} bytes, expected ${media.totalBytes}`);
    media.bytes = bytes;
    this.host.send(
      req,
      res,
      200,
      { data: { id: media.id, media_key: `3_${media.id}`, size: bytes.length, expires_after_secs: 86_400 } },
      {},
      [],
    );
  }
}
