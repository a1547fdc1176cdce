import type { APIEmbed } from 'discord-api-types/v10';
import { isMilestoneKind } from '../../src/milestone-kinds.js';
import type { Milestone, MilestoneKind } from '../../src/milestones/types.js';
import { platformTemplateProblems } from '../../src/platform-posts/validate-platform-template.js';
import {
  ReplyError,
  type HandlersFor,
  type ReplyLanguage,
} from '../../src/platforms/discord/interactions/command-types.js';
import { templateProblemText, type TemplateProblem } from '../../src/posts/validate-template.js';
import { sampleMilestones } from '../../src/preview/sample-milestones.js';
import type { GuildSettings, OverridablePlatform } from '../../src/state/guild-settings.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { layoverModCommand } from '../layover-mod.command.js';
import type { LayoverServices } from '../services.js';
import { configured, requireManageServer } from './moderator.js';
import { templateTexts, type PreviewSource } from './template.texts.js';

type TemplateSubcommand = 'template set' | 'template preview' | 'template reset';

function kindOf(value: string): MilestoneKind {
  if (!isMilestoneKind(value)) throw ReplyError.of(templateTexts, (t) => t.unknownKind(value));
  return value;
}

function platformOf(value: string | undefined): OverridablePlatform {
  if (value === undefined || value === 'discord') return 'discord';
  throw ReplyError.of(templateTexts, (t) => t.discordOnly);
}

function bulletList(lines: readonly string[]): string {
  return lines.map((line) => `• ${line}`).join('\n');
}

/**
 * Every problem `platformTemplateProblems` finds with `text`, checked against each tracked artist's config (its longest
 * titles), without repeats.
 */
function problemsOf(
  text: string,
  platform: OverridablePlatform,
  kind: MilestoneKind,
  services: LayoverServices,
): TemplateProblem[] {
  const problems = new Map<string, TemplateProblem>();
  const trackings: readonly (Tracking | undefined)[] =
    services.trackings.length === 0 ? [undefined] : services.trackings;
  for (const tracking of trackings) {
    const found = platformTemplateProblems(text, {
      platform,
      kind,
      ...(tracking === undefined ? {} : { tracking }),
    });
    for (const problem of found) problems.set(templateProblemText(problem, 'en'), problem);
  }
  return [...problems.values()];
}

/** The refusal of a template with `problems`, in `language`; a mention problem gets a hint about the role. */
function refusal(
  kind: MilestoneKind,
  problems: readonly TemplateProblem[],
  settings: GuildSettings,
  language: ReplyLanguage,
): string {
  const t = templateTexts[language];
  const lines = problems.map((problem) => templateProblemText(problem, language));
  if (problems.some((problem) => problem.kind === 'mention')) {
    lines.push(settings.roleId === null ? t.noRoleHint : t.roleHint(settings.roleId));
  }
  return t.notSaved(kind, bulletList(lines)).slice(0, 2000);
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
  throw ReplyError.of(templateTexts, (t) => t.nothingToPreview(kind));
}

/** `/layover-mod template set|preview|reset`: a server's own wording per milestone kind, checked before saving. */
export const templateHandlers: Pick<
  HandlersFor<typeof layoverModCommand, LayoverServices>,
  TemplateSubcommand
> = {
  async 'template set'({ options, services, reply, guildId, memberPermissions, language }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const settings = await configured(services, guild);
    const kind = kindOf(options.kind);
    const platform = platformOf(options.platform);
    const problems = problemsOf(options.text, platform, kind, services);
    if (problems.length > 0) {
      throw ReplyError.of(templateTexts, (_t, l) => refusal(kind, problems, settings, l));
    }
    await services.guilds.setTemplate(guild, platform, kind, options.text);
    await reply({ content: templateTexts[language].saved(kind) });
  },

  async 'template preview'({ options, services, reply, guildId, memberPermissions, language }) {
    const t = templateTexts[language];
    const guild = requireManageServer(guildId, memberPermissions);
    const settings = await configured(services, guild);
    const kind = kindOf(options.kind);
    const platform = platformOf(options.platform);
    const { milestone, tracking, sample } = await milestoneToPreview(services, kind);
    // The post itself in the server's announcement language; the answer around it in the moderator's.
    const postLanguage = settings.language;
    const posts = services.render(milestone, tracking, {
      language: postLanguage,
      overrides: settings.templates,
    });
    const override = settings.templates[platform]?.[kind];
    let source: PreviewSource = 'builtIn';
    if (override !== undefined) {
      const builtIn = services.render(milestone, tracking, { language: postLanguage });
      source =
        builtIn.discord.content === posts.discord.content && !builtIn.discord.content.includes(override)
          ? 'builtInNotFitting'
          : 'server';
    }
    const text: APIEmbed = { title: t.postText, description: posts.discord.content };
    await reply({
      content: t.preview(kind, sample, t.source[source]),
      embeds: [text, posts.discord.embed],
    });
  },

  async 'template reset'({ options, services, reply, guildId, memberPermissions, language }) {
    const guild = requireManageServer(guildId, memberPermissions);
    await configured(services, guild);
    const kind = kindOf(options.kind);
    const platform = platformOf(options.platform);
    const removed = await services.guilds.resetTemplate(guild, platform, kind);
    const t = templateTexts[language];
    await reply({ content: removed ? t.reset(kind) : t.nothingToReset(kind) });
  },
};
