import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatedAttachment, UploadedFile } from './discord-emulator-types.js';

/** Small HTTP pieces of the Discord emulator: JSON answers, body reading and Discord's route buckets. */

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...headers,
  });
  res.end(text);
}

/** A request body: JSON (or text) as it came, or for multipart/form-data the parsed `payload_json` and the files. */
export interface ReadBody {
  readonly body: unknown;
  readonly files: readonly UploadedFile[];
  /** Whether the body came as multipart/form-data. */
  readonly multipart: boolean;
}

function parseJsonOrText(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Reads a JSON body, or a multipart/form-data one (parsed with the platform's own `Response.formData`). */
export async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return { body: parseJsonOrText(raw.toString('utf8')), files: [], multipart: false };
  }
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  let body: unknown = undefined;
  const files: UploadedFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = parseJsonOrText(value);
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    files.push({ field, filename: value.name, contentType: value.type, size: data.length, data });
  }
  return { body, files, multipart: true };
}

/** `/channels/123/messages/456/crosspost` -> `/channels/:id/messages/:id/crosspost`, with the major parameter. */
export function routeOf(method: string, path: string): { route: string; major: string } {
  const parts = path.split('/');
  const majorKinds = new Set(['channels', 'guilds', 'webhooks', 'interactions', 'applications']);
  let major = 'global';
  const generic = parts.map((part, i) => {
    if (
      !/^\d{5,}$/.test(part) &&
      !(i > 1 && (parts[i - 1] === 'webhooks' || parts[i - 1] === 'interactions'))
    ) {
      return part;
    }
    const previous = parts[i - 1] ?? '';
    if (major === 'global' && majorKinds.has(previous)) major = part;
    return ':id';
  });
  return { route: `${method} ${generic.join('/')}`, major };
}

/**
 * Discord's rules for uploads: `attachments[n].id` names the part `files[n]`; a description is at most 1,024
 * characters; metadata naming a file that was not uploaded is refused (null). Files without metadata are
 * attached without a description.
 */
export function attachmentsFrom(
  metadata: unknown,
  files: readonly UploadedFile[],
  newId: () => string,
): EmulatedAttachment[] | null {
  const entries = Array.isArray(metadata) ? (metadata as Record<string, unknown>[]) : [];
  const described = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const id = String(entry.id);
    if (!files.some((f) => f.field === `files[${id}]`)) return null;
    if (typeof entry.description === 'string' && [...entry.description].length > 1024) return null;
    described.set(id, entry);
  }
  return files.map((file) => {
    const id = /^files\[(\w+)\]$/.exec(file.field)?.[1] ?? file.field;
    const entry = described.get(id);
    return {
      id: newId(),
      filename: typeof entry?.filename === 'string' ? entry.filename : file.filename,
      contentType: file.contentType,
      size: file.size,
      description: typeof entry?.description === 'string' ? entry.description : null,
      data: file.data,
    };
  });
}
