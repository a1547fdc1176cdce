const HOUR_MS = 3_600_000;

/**
 * What may be posted, decided when a publish job runs (not when the milestone is detected). The live bot takes
 * both from its settings; a replay leaves both off (it is a dry run of history: everything in it is posted).
 */
export interface PublishRules {
  /**
   * `ANNOUNCE_MAX_AGE_HOURS` in ms: a milestone observed longer than this before it would be posted is recorded
   * `skipped` (stale data) for that destination and not posted. `Infinity`: no limit.
   */
  readonly announceMaxAgeMs: number;
  /**
   * When several milestones of one subject wait for one destination, only the highest is posted; the others are
   * recorded `superseded`.
   */
  readonly supersede: boolean;
}

/** No age limit, no supersession: every recorded milestone is posted (replays, and pipelines built without rules). */
export const postEverything: PublishRules = { announceMaxAgeMs: Number.POSITIVE_INFINITY, supersede: false };

/** The live rules from the settings; `maxAgeHours` 0 means no age limit. */
export function liveRules(maxAgeHours: number): PublishRules {
  return {
    announceMaxAgeMs: maxAgeHours === 0 ? Number.POSITIVE_INFINITY : maxAgeHours * HOUR_MS,
    supersede: true,
  };
}

function hoursText(ms: number): string {
  const hours = ms / HOUR_MS;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

/**
 * Why a milestone observed at `observedAtMs` is too old to post at `nowMs`, or null when it is fresh enough.
 * The reason names the age and the setting, e.g. "stale data: observed 49 h before it would be posted (more than
 * ANNOUNCE_MAX_AGE_HOURS=48)".
 */
export function staleReason(observedAtMs: number, nowMs: number, rules: PublishRules): string | null {
  const age = nowMs - observedAtMs;
  if (!(age > rules.announceMaxAgeMs)) return null;
  const floored = Math.floor(age / (HOUR_MS / 10)) * (HOUR_MS / 10);
  return `stale data: observed ${hoursText(floored)} before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=${rules.announceMaxAgeMs / HOUR_MS})`;
}

/**
 * The figures of a reason written by {@link staleReason} (so replies can word it in another language), or null
 * for any other text.
 */
export function readStaleReason(
  reason: string,
): { readonly hours: string; readonly maxHours: string } | null {
  const match =
    /^stale data: observed ([\d.]+) h before it would be posted \(more than ANNOUNCE_MAX_AGE_HOURS=([\d.]+)\)$/.exec(
      reason,
    );
  return match === null ? null : { hours: match[1] as string, maxHours: match[2] as string };
}

/** The reason recorded for a milestone superseded by `higherId`. */
export function supersededReason(higherId: string): string {
  return `superseded by ${higherId}, a higher milestone of the same subject for this destination`;
}
