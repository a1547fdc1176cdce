import { luaScript, type LuaScript } from '../redis-scripts.js';
import type { RedisClient } from '../redis.js';
import type { Language } from '../language.js';
import { milestoneKinds, type MilestoneKind } from '../milestone-kinds.js';
import type { StateKeys } from './keys.js';

/** Why the publisher stopped posting to a guild's channel. */
export type ChannelProblem = 'gone' | 'missing-permission';

export interface ChannelHealth {
  readonly problem: ChannelProblem;
  /** Discord's words, e.g. "Missing Permissions (50013)". */
  readonly detail: string;
  /** ISO time the problem was seen. */
  readonly since: string;
}

/** One Discord server's choices, as `/layover-mod setup`, `kinds`, `pause` and `resume` leave them. */
export interface GuildSettings {
  readonly guildId: string;
  readonly channelId: string;
  /** Discord channel type at setup: 0 text, 5 announcement. */
  readonly channelType: number;
  /** The role to mention in announcements; null for none. */
  readonly roleId: string | null;
  readonly kinds: readonly MilestoneKind[];
  readonly paused: boolean;
  readonly language: Language;
  /** Publish (crosspost) announcements to following servers when the channel is an Announcement channel. */
  readonly crosspost: boolean;
  /** Null while the channel works; set when a post found it deleted or without permission. */
  readonly health: ChannelHealth | null;
  /** The server's own templates (`/layover-mod template set`), by platform then kind; checked before saving. */
  readonly templates: TemplateOverrides;
  readonly updatedAt: string;
}

/** A server's own templates: platform name -> milestone kind -> template (what the post renderer takes). */
export type TemplateOverrides = Partial<Record<'x' | 'discord', Partial<Record<MilestoneKind, string>>>>;

/** Platforms a server may override templates for (X posts go to one account, not per server). */
export type OverridablePlatform = keyof TemplateOverrides;

/** Hash field of one override: `template:<platform>:<kind>`. */
function templateField(platform: OverridablePlatform, kind: MilestoneKind): string {
  return `template:${platform}:${kind}`;
}

function parseTemplates(hash: Record<string, string>): TemplateOverrides {
  const templates: Partial<Record<OverridablePlatform, Partial<Record<MilestoneKind, string>>>> = {};
  for (const platform of ['discord', 'x'] as const) {
    for (const kind of milestoneKinds) {
      const text = hash[templateField(platform, kind)];
      if (text !== undefined) templates[platform] = { ...templates[platform], [kind]: text };
    }
  }
  return templates;
}

export interface SetupInput {
  readonly channelId: string;
  readonly channelType: number;
  readonly roleId: string | null;
  readonly language: Language;
  readonly crosspost: boolean;
}

/** Marks a channel unhealthy only while it is still the configured one (see the script's header). */
const markUnhealthyLua = new URL('./lua/mark-channel-unhealthy.lua', import.meta.url);

function parseKinds(raw: string | undefined): MilestoneKind[] {
  if (raw === undefined) return [...milestoneKinds];
  const wanted = new Set(raw.split(',').filter((k) => k !== ''));
  return milestoneKinds.filter((k) => wanted.has(k));
}

function fromHash(guildId: string, hash: Record<string, string>): GuildSettings | null {
  if (hash.channelId === undefined) return null;
  const problem = hash.healthProblem;
  return {
    guildId,
    channelId: hash.channelId,
    channelType: Number(hash.channelType ?? 0),
    roleId: hash.roleId === undefined || hash.roleId === '' ? null : hash.roleId,
    kinds: parseKinds(hash.kinds),
    paused: hash.paused === '1',
    language: hash.language === 'ko' ? 'ko' : 'en',
    crosspost: hash.crosspost === '1',
    health:
      problem === 'gone' || problem === 'missing-permission'
        ? { problem, detail: hash.healthDetail ?? '', since: hash.healthSince ?? '' }
        : null,
    templates: parseTemplates(hash),
    updatedAt: hash.updatedAt ?? '',
  };
}

/**
 * Discord guild settings: one Redis hash per guild plus a set of configured guild ids, so they survive restarts
 * and every process sees the same answer.
 */
export class GuildSettingsStore {
  private readonly markCommand: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {
    this.markCommand = luaScript(redis, markUnhealthyLua, 1);
  }

  async get(guildId: string): Promise<GuildSettings | null> {
    return fromHash(guildId, await this.redis.hgetall(this.keys.guildSettings(guildId)));
  }

  /** Every configured guild (paused and unhealthy ones included). */
  async all(): Promise<GuildSettings[]> {
    const ids = await this.redis.smembers(this.keys.guilds());
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.guildSettings(id));
    const results = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const [error, hash] = results[i] ?? [null, {}];
      if (error) throw error;
      const settings = fromHash(id, hash as Record<string, string>);
      return settings === null ? [] : [settings];
    });
  }

  /** `/layover-mod setup`: sets channel, role, language and crosspost; clears any channel problem. Kinds and pause stay. */
  async setup(guildId: string, input: SetupInput): Promise<GuildSettings> {
    const key = this.keys.guildSettings(guildId);
    await this.redis
      .multi()
      .hset(key, {
        channelId: input.channelId,
        channelType: String(input.channelType),
        roleId: input.roleId ?? '',
        language: input.language,
        crosspost: input.crosspost ? '1' : '0',
        updatedAt: new Date().toISOString(),
      })
      .hdel(key, 'healthProblem', 'healthDetail', 'healthSince')
      .sadd(this.keys.guilds(), guildId)
      .exec();
    return this.mustGet(guildId);
  }

  /** Returns null when the guild has not been set up. */
  async setKinds(guildId: string, kinds: readonly MilestoneKind[]): Promise<GuildSettings | null> {
    return this.update(guildId, { kinds: milestoneKinds.filter((k) => kinds.includes(k)).join(',') });
  }

  /** Returns null when the guild has not been set up. */
  async setPaused(guildId: string, paused: boolean): Promise<GuildSettings | null> {
    return this.update(guildId, { paused: paused ? '1' : '0' });
  }

  /**
   * Stores the server's template for one platform and kind (validate it first: `validateTemplate`).
   * Returns null when the guild has not been set up.
   */
  async setTemplate(
    guildId: string,
    platform: OverridablePlatform,
    kind: MilestoneKind,
    text: string,
  ): Promise<GuildSettings | null> {
    return this.update(guildId, { [templateField(platform, kind)]: text });
  }

  /** Drops the server's template for one platform and kind; returns whether there was one. */
  async resetTemplate(guildId: string, platform: OverridablePlatform, kind: MilestoneKind): Promise<boolean> {
    return (await this.redis.hdel(this.keys.guildSettings(guildId), templateField(platform, kind))) === 1;
  }

  /**
   * Records that posting to `channelId` failed for good; returns false when that channel is no longer the
   * guild's configured one (nothing changed).
   */
  async markChannelUnhealthy(
    guildId: string,
    channelId: string,
    problem: ChannelProblem,
    detail: string,
  ): Promise<boolean> {
    const changed = await this.markCommand(
      this.keys.guildSettings(guildId),
      channelId,
      problem,
      detail,
      new Date().toISOString(),
    );
    return changed === 1;
  }

  /** Forgets a guild (the bot was removed from it). */
  async remove(guildId: string): Promise<void> {
    await this.redis.multi().del(this.keys.guildSettings(guildId)).srem(this.keys.guilds(), guildId).exec();
  }

  private async update(guildId: string, fields: Record<string, string>): Promise<GuildSettings | null> {
    const key = this.keys.guildSettings(guildId);
    if ((await this.redis.hexists(key, 'channelId')) === 0) return null;
    await this.redis.hset(key, { ...fields, updatedAt: new Date().toISOString() });
    return this.get(guildId);
  }

  private async mustGet(guildId: string): Promise<GuildSettings> {
    const settings = await this.get(guildId);
    if (settings === null) throw new Error(`guild ${guildId} settings vanished while being written`);
    return settings;
  }
}
