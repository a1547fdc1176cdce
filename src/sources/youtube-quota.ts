import { DateTime } from 'luxon';

/** Most video ids one `videos.list` call takes. */
export const YOUTUBE_IDS_PER_CALL = 50;
/** A project's default YouTube Data API quota, units a day (each `videos.list` call costs 1). */
export const YOUTUBE_DEFAULT_DAILY_QUOTA = 10_000;
/** Share of the daily quota polling may spend, leaving room for `sources -- check` and other tools on the key. */
export const YOUTUBE_QUOTA_SHARE = 0.5;
/** Where Google's daily quotas roll over: midnight Pacific time. */
export const YOUTUBE_QUOTA_ZONE = 'America/Los_Angeles';

/** Calls one poll of `videoCount` videos makes: one per 50 ids. */
export function youtubeCallsPerPoll(videoCount: number): number {
  return Math.ceil(videoCount / YOUTUBE_IDS_PER_CALL);
}

/** Units polling `videoCount` videos every `intervalSeconds` spends a day (a part-day's poll counts whole). */
export function youtubeUnitsPerDay(videoCount: number, intervalSeconds: number): number {
  return Math.ceil(86_400 / intervalSeconds) * youtubeCallsPerPoll(videoCount);
}

/** Units a day polling may spend out of `dailyQuota`. */
export function youtubePollingBudget(dailyQuota = YOUTUBE_DEFAULT_DAILY_QUOTA): number {
  return Math.floor(dailyQuota * YOUTUBE_QUOTA_SHARE);
}

/**
 * The shortest poll interval, in whole seconds, at which polls of `callsPerRound` calls stay within the polling
 * budget of `dailyQuota`; infinite when even one poll a day does not fit.
 */
export function youtubeMinIntervalForCalls(
  callsPerRound: number,
  dailyQuota = YOUTUBE_DEFAULT_DAILY_QUOTA,
): number {
  const pollsPerDay = Math.floor(youtubePollingBudget(dailyQuota) / Math.max(1, callsPerRound));
  if (pollsPerDay < 1) return Number.POSITIVE_INFINITY;
  return Math.ceil(86_400 / pollsPerDay);
}

/** The shortest interval, in whole seconds, for polling `videoCount` videos within the polling budget. */
export function youtubeMinIntervalSeconds(
  videoCount: number,
  dailyQuota = YOUTUBE_DEFAULT_DAILY_QUOTA,
): number {
  return youtubeMinIntervalForCalls(youtubeCallsPerPoll(videoCount), dailyQuota);
}

/** One configured YouTube source, as the quota sees it. */
export interface YoutubePollPlan {
  readonly sourceId: string;
  readonly videoCount: number;
  readonly intervalSeconds: number;
}

/**
 * Why the YouTube sources of one config (they share one API key, so one quota) would spend more than
 * {@link YOUTUBE_QUOTA_SHARE} of `dailyQuota` a day, with the numbers and the interval that would fit; null when
 * they fit.
 */
export function youtubeQuotaProblem(
  plans: readonly YoutubePollPlan[],
  dailyQuota = YOUTUBE_DEFAULT_DAILY_QUOTA,
): string | null {
  const budget = youtubePollingBudget(dailyQuota);
  const units = plans.reduce((sum, p) => sum + youtubeUnitsPerDay(p.videoCount, p.intervalSeconds), 0);
  if (units <= budget) return null;
  const each = plans
    .map(
      (p) =>
        `"${p.sourceId}": ${p.videoCount} video(s) = ${youtubeCallsPerPoll(p.videoCount)} call(s) every ${p.intervalSeconds} s = ${youtubeUnitsPerDay(p.videoCount, p.intervalSeconds)} units`,
    )
    .join('; ');
  const calls = plans.reduce((sum, p) => sum + youtubeCallsPerPoll(p.videoCount), 0);
  const least = youtubeMinIntervalForCalls(calls, dailyQuota);
  const fix = Number.isFinite(least)
    ? `poll ${plans.length === 1 ? 'it' : 'each of them'} every ${least} s or more`
    : 'even one poll a day does not fit: track fewer videos';
  return `YouTube polling would spend ${units} quota units a day (${each}), more than the ${budget} units polling may use (${Math.round(YOUTUBE_QUOTA_SHARE * 100)}% of YOUTUBE_DAILY_QUOTA=${dailyQuota}); ${fix}, or raise YOUTUBE_DAILY_QUOTA if Google granted the project more`;
}

/** When the daily quota next resets: the next midnight in Pacific time after `nowMs` (daylight saving included). */
export function nextQuotaResetMs(nowMs: number): number {
  return DateTime.fromMillis(nowMs, { zone: YOUTUBE_QUOTA_ZONE }).startOf('day').plus({ days: 1 }).toMillis();
}
