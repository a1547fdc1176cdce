import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/env.js';
import { gatewayClientOptions } from '../../src/platforms/discord/gateway.js';
import {
  clientShardOptions,
  parseShardCount,
  parseShardIds,
  shardPlanOf,
} from '../../src/discord-shard-plan.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('DISCORD_SHARDS and DISCORD_SHARD_COUNT', () => {
  it('default to every shard Discord recommends, in this process', () => {
    const settings = loadSettings({});
    expect(settings.discordShardPlan).toEqual({ mode: 'auto' });
    expect(settings.DISCORD_CROSSPOSTS_PER_HOUR).toBe(10);
    expect(loadSettings({ DISCORD_SHARDS: 'AUTO', DISCORD_SHARD_COUNT: '' }).discordShardPlan).toEqual({
      mode: 'auto',
    });
  });

  it('read ids and ranges, sorted, with the total count', () => {
    expect(parseShardIds('4-6, 0,2')).toEqual({ value: [0, 2, 4, 5, 6] });
    expect(loadSettings({ DISCORD_SHARDS: '1,3', DISCORD_SHARD_COUNT: '4' }).discordShardPlan).toEqual({
      mode: 'some',
      ids: [1, 3],
      count: 4,
    });
    expect(loadSettings({ DISCORD_SHARD_COUNT: '3' }).discordShardPlan).toEqual({ mode: 'all', count: 3 });
  });

  it('refuse what is not a shard id, a backwards range, a repeated id and a bad count, each with its reason', () => {
    expect(parseShardIds('0,x')).toEqual({
      problem: expect.stringContaining('"x" is not a shard id') as string,
    });
    expect(parseShardIds('3-1')).toEqual({ problem: expect.stringContaining('runs backwards') as string });
    expect(parseShardIds('1,0-2')).toEqual({ problem: 'shard 1 is listed twice' });
    expect(parseShardIds('-1')).toHaveProperty('problem');
    for (const bad of ['0', '-2', '1.5', 'many', '10001'])
      expect(parseShardCount(bad)).toHaveProperty('problem');
    expect(problemsOf({ DISCORD_SHARDS: '0,,1', DISCORD_SHARD_COUNT: 'zero' })).toEqual([
      expect.stringMatching(/^DISCORD_SHARDS: "" is not a shard id/),
      expect.stringMatching(/^DISCORD_SHARD_COUNT: must be auto or a whole number from 1 to 10000/),
    ]);
  });

  it('need the total count when ids are listed, and ids inside it', () => {
    expect(problemsOf({ DISCORD_SHARDS: '0' })).toEqual([
      expect.stringMatching(
        /^DISCORD_SHARD_COUNT: DISCORD_SHARDS lists shard ids \(0\), so this must give the total number of shards over every process/,
      ),
    ]);
    expect(problemsOf({ DISCORD_SHARDS: '2-4', DISCORD_SHARD_COUNT: '4' })).toEqual([
      'DISCORD_SHARDS: shard 4 is out of range for DISCORD_SHARD_COUNT=4 (ids run from 0 to 3)',
    ]);
    // Reported alongside other problems, not instead of them.
    expect(problemsOf({ DISCORD_SHARDS: '5', DISCORD_SHARD_COUNT: '2', HTTP_PORT: 'x' })).toHaveLength(2);
  });

  it('refuse a crosspost limit that is not a whole number from 1 to 100', () => {
    for (const bad of ['0', '2.5', 'ten', '101']) {
      expect(problemsOf({ DISCORD_CROSSPOSTS_PER_HOUR: bad })).toEqual([
        expect.stringMatching(/^DISCORD_CROSSPOSTS_PER_HOUR: /),
      ]);
    }
    expect(loadSettings({ DISCORD_CROSSPOSTS_PER_HOUR: '5' }).DISCORD_CROSSPOSTS_PER_HOUR).toBe(5);
  });
});

describe('the options handed to the discord.js client', () => {
  it('leave the count to Discord with auto, and give ids and the total otherwise', () => {
    expect(clientShardOptions({ mode: 'auto' })).toEqual({ shards: 'auto' });
    expect(clientShardOptions({ mode: 'all', count: 3 })).toEqual({ shards: [0, 1, 2], shardCount: 3 });
    expect(clientShardOptions({ mode: 'some', ids: [1, 3], count: 4 })).toEqual({
      shards: [1, 3],
      shardCount: 4,
    });
    const plan = shardPlanOf([0, 1], 8);
    expect(
      'value' in plan && gatewayClientOptions({ apiUrl: 'http://127.0.0.1:1/api', shards: plan.value }),
    ).toEqual({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: 'http://127.0.0.1:1/api' },
      shards: [0, 1],
      shardCount: 8,
    });
  });
});
