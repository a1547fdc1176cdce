import { ProblemsError } from '../problems-error.js';
import { readFileSync } from 'node:fs';
import { formatIssues, trackingConfigSchema } from './schema.js';
import { buildTracking, type Tracking } from './tracking.js';

/** Raised when one or more tracking config files are invalid; `problems` holds `<file>: <path>: <message>` lines. */
export class TrackingConfigError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super('invalid tracking config', problems);
  }
}

/** Parses one config text; returns the problems instead of throwing so that several files can be reported at once. */
export function parseTrackingText(
  file: string,
  text: string,
): { tracking: Tracking; problems: [] } | { tracking: null; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { tracking: null, problems: [`${file}: (root): not valid JSON (${(error as Error).message})`] };
  }
  const parsed = trackingConfigSchema.safeParse(json);
  if (!parsed.success) {
    return { tracking: null, problems: formatIssues(parsed.error).map((line) => `${file}: ${line}`) };
  }
  return { tracking: buildTracking(parsed.data), problems: [] };
}

/**
 * Loads every file named in `TRACKING_CONFIG` (comma-separated). Throws {@link TrackingConfigError}
 * listing every problem in every file, including artist ids that repeat across files.
 */
export function loadTrackings(paths: readonly string[]): Tracking[] {
  const problems: string[] = [];
  const trackings: Tracking[] = [];
  const seen = new Map<string, string>();
  for (const file of paths) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(
        `${file}: (root): cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      continue;
    }
    const result = parseTrackingText(file, text);
    if (result.tracking === null) {
      problems.push(...result.problems);
      continue;
    }
    const id = result.tracking.artist.id;
    const other = seen.get(id);
    if (other !== undefined) {
      problems.push(`${file}: artist.id: artist id "${id}" is already used by ${other}`);
      continue;
    }
    seen.set(id, file);
    trackings.push(result.tracking);
  }
  if (problems.length > 0) throw new TrackingConfigError(problems);
  return trackings;
}
