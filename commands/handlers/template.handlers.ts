import type { APIEmbed } from 'discord-api-types/v10';
import { isMilestoneKind, kindTable } from '../../src/milestones/kinds.js';
import type { Milestone, MilestoneKind } from '../../src/milestones/types.js';
import { validatePlatformTemplate } from '../../src/platform-posts/validate-platform-template.js';
import { ReplyError, type HandlersFor } from '../../src/platforms/discord/interactions/command-types.js';
import { sampleMilestones } from '../../src/preview/sample-milestones.js';
import type { GuildSettings, OverridablePlatform } from '../../src/state/guild-settings.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { layoverModCommand } from '../layover-mod.command.js';
import type { LayoverServices } from '../services.js';
import { configured, requireManageServer } from './moderator.js';

type TemplateSubcommand = 'template set' | 'template preview' | 'template reset';

function kindOf(value: string): MilestoneKind {
  if (!isMilestoneKind(value)) throw new ReplyError(`Unknown milestone kind "${value}".`);
  return value;
}

/** How a reply names `kind` inside a sentence ("song", "album total"). */
function kindNoun(kind: MilestoneKind): string {
  return kindTable[kind].command.noun;
}

function platformOf(value: string | undefined): OverridablePlatform {
  if (value === undefined || value === 'discord') return 'discord';
  throw new ReplyError('Server templates are for Discord posts only.');
}

function bulletList(lines: readonly string[]): string {
  return lines.map((line) => `• ${line}`).join('\n');
}

/**
 * Every problem `validatePlatformTemplate` finds with `text`, checked against each tracked artist's config (its longest
 * titles), without repeats; a mention problem gets a hint about the configured role.
 */
function templateProblems(
  text: string,
  platform: OverridablePlatform,
  kind: MilestoneKind,
  services: LayoverServices,
  settings: GuildSettings,
): string[] {
  const problems = new Set<string>();
  const trackings: readonly (Tracking | undefined)[] =
    services.trackings.length === 0 ? [undefined] : services.trackings;
  for (const tracking of trackings) {
    const result = validatePlatformTemplate(text, {
      platform,
      kind,
      ...(tracking === undefined ? {} : { tracking }),
    });
    if (!result.ok) for (const error of result.errors) problems.add(error);
  }
  const list = [...problems];
  if (list.some((problem) => problem.startsWith('mentions are not allowed'))) {
    list.push(
      settings.roleId === null
        ? 'This server mentions nobody; choose a role with `/layover-mod setup role:` to ping one.'
        : `The configured role <@&${settings.roleId}> is mentioned before every announcement already; no other mention is allowed.`,
    );
  }
  return list;
}

/** The latest announced milestone of `kind`, or a sample one built from the config (as `npm run preview` does). */
async function milestoneToPreview(
  services: LayoverServices,
  kind: MilestoneKind,
): Promise<{ milestone: Milestone; tracking: Tracking; sample: boolean }> {
  for (const tracking of services.trackings) {
    const recent = await services.milestones.recent(tracking.artist.id, 100);
    const latest = recent.find((m) => m.kind === kind);
    if (latest !== undefined) return { milestone: latest, tracking, sample: false };
  }
  for (const tracking of services.trackings) {
    const sample = sampleMilestones(tracking).find((m) => m.kind === kind);
    if (sample !== undefined) return { milestone: sample, tracking, sample: true };
  }
  throw new ReplyError(`No ${kindNoun(kind)} milestones are configured, so there is nothing to preview.`);
}

/** `/layover-mod template set|preview|reset`: a server's own wording per milestone kind, checked before saving. */
export const templateHandlers: Pick<
  HandlersFor<typeof layoverModCommand, LayoverServices>,
  TemplateSubcommand
> = {
  async 'template set'({ options, services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const settings = await configured(services, guild);
    const kind = kindOf(options.kind);
    const platform = platformOf(options.platform);
    const problems = templateProblems(options.text, platform, kind, services, settings);
    if (problems.length > 0) {
      throw new ReplyError(
        `The ${kindNoun(kind)} template was not saved:\n${bulletList(problems)}`.slice(0, 2000),
      );
    }
    await services.guilds.setTemplate(guild, platform, kind, options.text);
    await reply({
      content: `Saved. ${kindNoun(kind)} announcements here now use this server's wording. \`/layover-mod template preview kind:${kind}\` shows a sample; \`/layover-mod template reset kind:${kind}\` goes back to the built-in one.`,
    });
  },

  async 'template preview'({ options, services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const settings = await configured(services, guild);
    const kind = kindOf(options.kind);
    const platform = platformOf(options.platform);
    const { milestone, tracking, sample } = await milestoneToPreview(services, kind);
    const language = settings.language;
    const posts = services.render(milestone, tracking, { language, overrides: settings.templates });
    const override = settings.templates[platform]?.[kind];
    let source = 'the built-in wording (this server has no template for this kind)';
    if (override !== undefined) {
      const builtIn = services.render(milestone, tracking, { language });
      source =
        builtIn.discord.content === posts.discord.content && !builtIn.discord.content.includes(override)
          ? "the built-in wording: this server's template did not fit this milestone"
          : "this server's template";
    }
    const text: APIEmbed = { title: 'Post text', description: posts.discord.content };
    await reply({
      content: `Preview of a ${sample ? 'SAMPLE ' : ''}${kindNoun(kind)} announcement with ${source}:`,
      embeds: [text, posts.discord.embed],
    });
  },

  async 'template reset'({ options, services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    await configured(services, guild);
    const kind = kindOf(options.kind);
    const platform = platformOf(options.platform);
    const removed = await services.guilds.resetTemplate(guild, platform, kind);
    await reply({
      content: removed
        ? `${kindNoun(kind)} announcements here use the built-in wording again.`
        : `This server had no ${kindNoun(kind)} template; the built-in wording is in use.`,
    });
  },
};
