import type { IncomingMessage, ServerResponse } from 'node:http';

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

export function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw === '') return resolve(undefined);
      try {
        resolve(JSON.parse(raw));
      } catch {
        resolve(raw);
      }
    });
  });
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
