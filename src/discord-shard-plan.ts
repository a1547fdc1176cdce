/**
 * Which gateway shards one `bot` process runs, from `DISCORD_SHARDS` and `DISCORD_SHARD_COUNT`. Discord sends a
 * server's events, interactions included, to exactly one shard (`shard_id = (guild_id >> 22) % shard_count`), and
 * refuses a connection that would carry more than 2,500 servers, so a bot in many servers needs several shards,
 * and several processes must each run different ones.
 */

/** The largest shard count accepted (Discord's recommendation is about one shard per 1,000 servers). */
export const MAX_SHARD_COUNT = 10_000;

/**
 * `auto`: this process runs every shard, as many as Discord recommends (GET /gateway/bot) at each start.
 * `all`: this process runs every shard of a fixed count. `some`: this process runs `ids` of `count` shards; the
 * other ids run elsewhere.
 */
export type ShardPlan =
  | { readonly mode: 'auto' }
  | { readonly mode: 'all'; readonly count: number }
  | { readonly mode: 'some'; readonly ids: readonly number[]; readonly count: number };

/** What the settings hold once parsed: `auto`, or the listed ids (sorted, each once). */
export type ShardIdsSetting = 'auto' | readonly number[];
export type ShardCountSetting = 'auto' | number;

type Parsed<T> = { readonly value: T } | { readonly problem: string };

/**
 * `DISCORD_SHARDS`: `auto` (every shard) or shard ids and ranges, comma-separated: `0`, `0,2`, `4-7`. Empty means
 * `auto`.
 */
export function parseShardIds(raw: string | undefined): Parsed<ShardIdsSetting> {
  const text = (raw ?? '').trim();
  if (text === '' || text.toLowerCase() === 'auto') return { value: 'auto' };
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (match === null) {
      return {
        problem: `"${part}" is not a shard id or range; use auto, or ids and ranges such as 0,2 or 0-3`,
      };
    }
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) return { problem: `the range ${part} runs backwards; write it as ${last}-${first}` };
    if (last >= MAX_SHARD_COUNT)
      return { problem: `shard ${last} is past the largest count, ${MAX_SHARD_COUNT}` };
    for (let id = first; id <= last; id += 1) {
      if (ids.has(id)) return { problem: `shard ${id} is listed twice` };
      ids.add(id);
    }
  }
  return { value: [...ids].sort((a, b) => a - b) };
}

/** `DISCORD_SHARD_COUNT`: `auto` (Discord's recommendation) or the total number of shards over every process. */
export function parseShardCount(raw: string | undefined): Parsed<ShardCountSetting> {
  const text = (raw ?? '').trim();
  if (text === '' || text.toLowerCase() === 'auto') return { value: 'auto' };
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_SHARD_COUNT) {
    return {
      problem: `must be auto or a whole number from 1 to ${MAX_SHARD_COUNT} (shards over every process)`,
    };
  }
  return { value: Number(text) };
}

/**
 * The plan for both settings together, or the problem with the pair (each setting valid on its own), worded as a
 * settings problem: `NAME: message`.
 */
export function shardPlanOf(ids: ShardIdsSetting, count: ShardCountSetting): Parsed<ShardPlan> {
  if (ids === 'auto') return { value: count === 'auto' ? { mode: 'auto' } : { mode: 'all', count } };
  if (count === 'auto') {
    return {
      problem:
        `DISCORD_SHARD_COUNT: DISCORD_SHARDS lists shard ids (${ids.join(',')}), so this must give the total ` +
        'number of shards over every process (e.g. 2 when two processes run DISCORD_SHARDS=0 and DISCORD_SHARDS=1): with ' +
        'auto, processes started at different times could pick different counts and leave servers unanswered',
    };
  }
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    return {
      problem:
        `DISCORD_SHARDS: shard ${outside.join(', ')} is out of range for DISCORD_SHARD_COUNT=${count} ` +
        `(ids run from 0 to ${count - 1})`,
    };
  }
  return { value: { mode: 'some', ids, count } };
}

/** The sharding part of discord.js's `ClientOptions` for a plan. */
export function clientShardOptions(
  plan: ShardPlan,
): { readonly shards: 'auto' } | { readonly shards: number[]; readonly shardCount: number } {
  switch (plan.mode) {
    case 'auto':
      return { shards: 'auto' };
    case 'all':
      return { shards: Array.from({ length: plan.count }, (_, i) => i), shardCount: plan.count };
    case 'some':
      return { shards: [...plan.ids], shardCount: plan.count };
  }
}
