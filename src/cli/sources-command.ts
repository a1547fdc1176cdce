import { readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../logger.js';
import { guessSavedKind, parseSaved, savedKinds, type SavedKind } from '../sources/parse-saved.js';
import { fetchedAtFromName } from '../sources/raw-archive.js';
import { SourceError } from '../sources/source.js';
import { loadSourcesConfig, SourcesConfigError } from '../sources/sources-config.js';
import { sourcesFromSettings } from '../sources/sources-from-settings.js';
import { loadTrackings, TrackingConfigError } from '../tracking/load-tracking.js';
import type { Tracking } from '../tracking/tracking.js';
import { CommandError, settingsForCommand } from '../command-error.js';

export const sourcesUsage = `usage:
  npm run sources -- check
      fetch each source in SOURCES_CONFIG once; print what it parsed, how each configured song matched
      (by id or by title) and, for songs without a spotifyId, the candidate ids found by title
  npm run sources -- parse <file> [--kind ${savedKinds.join('|')}] [--artist <id>]
      parse a saved page or API answer (SOURCES_RAW_DIR keeps the last ones) as its source would`;

type Write = (text: string) => void;

function trackingsFor(paths: readonly string[]): Map<string, Tracking> {
  try {
    return new Map(loadTrackings(paths).map((t) => [t.artist.id, t]));
  } catch (error) {
    if (error instanceof TrackingConfigError) throw new CommandError(error.message, 2);
    throw error;
  }
}

/** `npm run sources -- check|parse`: see {@link sourcesUsage}. Writes the report to `out` (stdout). */
export async function sourcesCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: Write = (text) => process.stdout.write(text),
): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'check') return checkSources(rest, env, out);
  if (sub === 'parse') return parseFile(rest, env, out);
  throw new CommandError(sourcesUsage, 2);
}

async function checkSources(argv: readonly string[], env: Record<string, string | undefined>, out: Write) {
  if (argv.length > 0) throw new CommandError(`unexpected argument "${argv[0]}"\n${sourcesUsage}`, 2);
  const settings = settingsForCommand(env);
  const trackings = trackingsFor(settings.trackingConfigPaths);
  if (settings.SOURCES_CONFIG === undefined) {
    throw new CommandError('SOURCES_CONFIG is not set: there are no sources to check', 2);
  }
  let sources;
  try {
    sources = sourcesFromSettings(settings, [...trackings.values()], createLogger('warn'));
  } catch (error) {
    if (error instanceof SourcesConfigError) throw new CommandError(error.message, 2);
    throw error;
  }
  let failed = 0;
  for (const { source } of sources) {
    out(`== ${source.id} (${source.kind}) ${source.url}\n`);
    try {
      const { report } = await source.check();
      for (const line of report) out(`${line}\n`);
    } catch (error) {
      failed += 1;
      out(`FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    out('\n');
  }
  out(
    'Ids are never written for you: copy a candidate id into "spotifyId" (or "spotifyIds" for several) in ' +
      `${settings.trackingConfigPaths.join(', ')} to pin a song.\n`,
  );
  if (failed > 0) throw new CommandError(`${failed} of ${sources.length} source(s) failed`, 1);
}

function parseFile(argv: readonly string[], env: Record<string, string | undefined>, out: Write) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { kind: { type: 'string' }, artist: { type: 'string' } },
    });
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${sourcesUsage}`, 2);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new CommandError(sourcesUsage, 2);
  const settings = settingsForCommand(env);
  const trackings = trackingsFor(settings.trackingConfigPaths);
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(file, 'utf8');
    mtimeMs = statSync(file).mtimeMs;
  } catch (error) {
    throw new CommandError(
      `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      2,
    );
  }
  // A file kept by a source lives in <SOURCES_RAW_DIR>/<source id>/: that source says the kind and the artist.
  let kind = parsed.values.kind as SavedKind | undefined;
  let artist = parsed.values.artist;
  if (kind !== undefined && !savedKinds.includes(kind)) {
    throw new CommandError(`--kind must be one of ${savedKinds.join(', ')}`, 2);
  }
  if (settings.SOURCES_CONFIG !== undefined) {
    try {
      const def = loadSourcesConfig(settings.SOURCES_CONFIG).sources.find(
        (s) => s.id === basename(dirname(file)),
      );
      if (def !== undefined) {
        kind ??= def.kind;
        if (def.kind !== 'json') artist ??= def.artist;
      }
    } catch {
      // An unreadable sources file only loses the hint.
    }
  }
  kind ??= guessSavedKind(file, text);
  const tracking =
    artist !== undefined
      ? trackings.get(artist)
      : trackings.size === 1
        ? trackings.values().next().value
        : undefined;
  if (artist !== undefined && tracking === undefined)
    throw new CommandError(`--artist: unknown artist "${artist}"`, 2);
  const fetchedAtMs = fetchedAtFromName(basename(file)) ?? mtimeMs;
  out(`${file}: parsed as ${kind}, fetched ${new Date(fetchedAtMs).toISOString()}\n`);
  try {
    const { report } = parseSaved(kind, text, trackings, tracking, fetchedAtMs, file);
    for (const line of report) out(`${line}\n`);
  } catch (error) {
    if (error instanceof SourceError) throw new CommandError(error.message, 1);
    throw error;
  }
}
