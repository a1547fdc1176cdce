import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a source fetched, kept as it came so that a bad parse can be replayed (`npm run sources -- parse <file>`). */
export interface RawFetch {
  readonly sourceId: string;
  readonly fetchedAtMs: number;
  readonly status: number;
  /** File extension without the dot: `html` or `json`. */
  readonly ext: string;
  readonly body: Uint8Array;
}

/** Keeps raw fetches; `keep` never throws (a full disk must not fail a poll), it returns the problem instead. */
export interface RawArchive {
  keep(fetch: RawFetch): Promise<{ path: string } | { error: string }>;
}

/**
 * The file name of a kept fetch: `<fetched at, UTC, no colons>_<status>.<ext>`, for example
 * `2026-11-28T06-00-00.000Z_200.html`. Names sort in fetch order; {@link fetchedAtFromName} reads the time back.
 */
export function rawFileName(fetchedAtMs: number, status: number, ext: string): string {
  return `${new Date(fetchedAtMs).toISOString().replaceAll(':', '-')}_${status}.${ext}`;
}

/** The fetch time a kept file's name carries, or null for any other name. */
export function fetchedAtFromName(name: string): number | null {
  const m = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}(?:\.\d{3})?)Z_\d{3}\.[a-z]+$/.exec(name);
  if (m === null) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** A {@link RawArchive} in a directory: `<dir>/<source id>/<file>`, only the newest `keepPerSource` per source. */
export class DirectoryRawArchive implements RawArchive {
  constructor(
    private readonly dir: string,
    private readonly keepPerSource: number,
  ) {}

  async keep(fetch: RawFetch): Promise<{ path: string } | { error: string }> {
    const folder = join(this.dir, fetch.sourceId);
    const path = join(folder, rawFileName(fetch.fetchedAtMs, fetch.status, fetch.ext));
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(path, fetch.body);
      const names = (await readdir(folder)).filter((n) => fetchedAtFromName(n) !== null).sort();
      const surplus = names.slice(0, Math.max(0, names.length - this.keepPerSource));
      await Promise.all(surplus.map((n) => rm(join(folder, n), { force: true })));
      return { path };
    } catch (error) {
      return { error: `${path}: ${(error as Error).message}` };
    }
  }
}
