import { PermissionFlagsBits } from 'discord-api-types/v10';
import { kindTable } from '../../src/milestones/kinds.js';
import type { Milestone } from '../../src/milestones/types.js';
import type { HandlersFor, ReplyFile } from '../../src/platforms/discord/interactions/command-types.js';
import { ReplyError } from '../../src/platforms/discord/interactions/command-types.js';
import { dateLabel } from '../../src/posts/dates.js';
import { groupDigits } from '../../src/posts/numbers.js';
import type { GuildSettings } from '../../src/state/guild-settings.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { layoverCommand } from '../layover.command.js';
import { notPostedNote } from './delivery-notes.js';
import type { LayoverServices } from '../services.js';
import { fitLines } from '../../src/platforms/discord/message-limits.js';
import { findAlbum, progressOf, subjectLabel, subjectsOf, type SubjectProgress } from './progress.js';
import { etaText, gainText, STALE_AFTER_MS, statusPage } from './status-view.js';
import { namesExactly } from './title-search.js';

/** How many of a subject's latest milestones `why` looks at for ones recorded but not posted. */
const NOT_POSTED_SHOWN = 3;

function isModerator(permissions: bigint | null): boolean {
  if (permissions === null) return false;
  return (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
}

/** A line telling moderators that announcements are not reaching their channel, or null when they are. */
export function channelWarning(settings: GuildSettings | null): string | null {
  if (settings?.health == null) return null;
  const what =
    settings.health.problem === 'gone'
      ? `<#${settings.channelId}> no longer exists`
      : `the bot lost a permission in <#${settings.channelId}> (${settings.health.detail})`;
  return `⚠️ Announcements are stopped: ${what} since ${settings.health.since.slice(0, 16).replace('T', ' ')} UTC. Fix it, then run \`/layover-mod setup\` again.`;
}

/**
 * The `/layover status` chart: the album's and its tracks' cumulative streams over the stored history, with the
 * artist's milestones marked, and its alt text (drawn once per data version, see `status-chart-source.ts`).
 * Null (logged) when it cannot be drawn: the answer goes without it.
 */
async function statusChart(
  services: LayoverServices,
  tracking: Tracking,
  albumId: string,
  stateVersion: string,
): Promise<ReplyFile | null> {
  try {
    const chart = await services.statusCharts(tracking, albumId, stateVersion, 'en');
    return { name: 'status.png', data: chart.png, contentType: 'image/png', description: chart.altText };
  } catch (error) {
    services.logger.warn(
      { artistId: tracking.artist.id, albumId, err: error instanceof Error ? error.message : String(error) },
      'status chart could not be drawn; answering without it',
    );
    return null;
  }
}

/** The handlers of `/layover`, typed from its definition. */
export const layoverHandlers: HandlersFor<typeof layoverCommand, LayoverServices> = {
  async status({ options, services, reply, defer, guildId, memberPermissions, language }) {
    const found = findAlbum(services.trackings, options.album);
    if (found === null) throw new ReplyError(`I don't track an album called "${options.album ?? ''}".`);
    const { tracking, album } = found;
    const view = await services.artistState.view(tracking.artist.id);
    if (view.lastAppliedAt === null) {
      await reply({
        content:
          language === 'ko'
            ? `${tracking.artist.name}의 스트리밍 데이터가 아직 없습니다.`
            : `No streaming data for ${tracking.artist.name} yet.`,
      });
      return;
    }
    // The chart is an upload (a webhook edit): acknowledge first (Discord wants a first answer within three
    // seconds), then draw it.
    await defer({ ephemeral: false });
    const warning =
      isModerator(memberPermissions) && guildId !== null
        ? channelWarning(await services.guilds.get(guildId))
        : null;
    const page = statusPage(tracking, album, view, { page: 0, nowMs: services.now(), language });
    const chart = await statusChart(services, tracking, album.id, view.version);
    await reply({
      ...(warning === null ? {} : { content: warning }),
      ...(chart === null ? {} : { files: [chart] }),
      embeds: [
        { ...page.embed, ...(chart === null ? {} : { image: { url: `attachment://${chart.name}` } }) },
      ],
      ...(page.components.length === 0 ? {} : { components: page.components }),
    });
  },

  async milestones({ options, services, reply, guildId, language }) {
    const limit = options.limit ?? 10;
    const lines: string[] = [];
    for (const tracking of services.trackings) {
      for (const { milestone: m, deliveries } of await services.milestones.recentWithDeliveries(
        tracking.artist.id,
        limit,
      )) {
        const day = m.daysSinceRelease === null ? '' : ` (day ${m.daysSinceRelease})`;
        const note = notPostedNote(deliveries, guildId);
        lines.push(
          `• ${dateLabel(m.observedAt, tracking.timezone, 'en')}: ${subjectLabel(tracking, m.kind, m.albumId, m.trackId, m.videoId)} passed ${groupDigits(m.threshold)}${day}${note === null ? '' : ` — not posted: ${note}`}`,
        );
      }
    }
    await reply({
      content:
        lines.length === 0
          ? language === 'ko'
            ? '아직 알림이 없습니다.'
            : 'Nothing announced yet.'
          : fitLines(lines.slice(0, limit), 2000, (n) => (language === 'ko' ? `외 ${n}개` : `+${n} more`)),
    });
  },

  async next({ services, reply, language }) {
    const upcoming: { p: SubjectProgress; tracking: Tracking }[] = [];
    for (const tracking of services.trackings) {
      const view = await services.artistState.view(tracking.artist.id);
      for (const ref of subjectsOf(tracking)) {
        const p = progressOf(
          tracking,
          ref,
          view.subjects.get(ref.key),
          view.lastAppliedAt,
          view.previousAppliedAt,
        );
        if (p !== null && p.next !== null) upcoming.push({ p, tracking });
      }
    }
    upcoming.sort((a, b) => (a.p.etaMs ?? Infinity) - (b.p.etaMs ?? Infinity));
    const lines = upcoming
      .slice(0, 10)
      .map(
        ({ p, tracking }) =>
          `• **${p.label}**: ${groupDigits(p.value)} → ${etaText(p, tracking, language)} (${gainText(p, language)})`,
      );
    await reply({
      content:
        lines.length === 0
          ? language === 'ko'
            ? '아직 데이터가 없습니다.'
            : 'No data yet.'
          : fitLines(lines, 2000, (n) => (language === 'ko' ? `외 ${n}개` : `+${n} more`)),
    });
  },

  async why({ options, services, reply, guildId }) {
    const found = findAlbum(services.trackings, options.album);
    if (found === null) throw new ReplyError(`I don't track an album called "${options.album ?? ''}".`);
    const { tracking, album } = found;
    let key = `album:${album.id}`;
    let kind: Milestone['kind'] = 'album';
    let label = subjectLabel(tracking, 'album', album.id, null);
    if (options.track !== undefined) {
      const query = options.track;
      const track = album.tracks.find((t) => namesExactly(t, query));
      if (track === undefined) throw new ReplyError(`${album.title} has no song called "${options.track}".`);
      key = `track:${track.id}`;
      kind = 'track';
      label = track.title;
    }
    const view = await services.artistState.view(tracking.artist.id);
    const subject = view.subjects.get(key);
    const reasons: string[] = [];
    if (subject === undefined || subject.decision === null || subject.value === null) {
      reasons.push(`I have not seen a count for ${label} yet.`);
    } else {
      const ladder = tracking.ladders[kind];
      const p = progressOf(
        tracking,
        { key, kind, label },
        subject,
        view.lastAppliedAt,
        view.previousAppliedAt,
      );
      const next = p?.next === null || p === null ? 'none' : groupDigits(p.next);
      if (ladder === undefined)
        reasons.push(`No milestones are configured for ${kindTable[kind].command.option}.`);
      else if (subject.decision === 'baseline') {
        reasons.push(
          `Baseline: ${label} was first seen at ${groupDigits(subject.value)}; milestones up to that were counted as reached without an announcement. Next: ${next}.`,
        );
      } else if (subject.decision === 'announced') {
        reasons.push(
          `Announced: ${label} passed ${groupDigits(subject.reached ?? 0)} in the latest snapshot.`,
        );
      } else {
        reasons.push(
          `Below the next milestone: ${label} is at ${groupDigits(subject.value)}; ${groupDigits(subject.reached ?? 0)} was already reached, next is ${next}.`,
        );
      }
    }
    for (const { milestone, deliveries } of await services.milestones.ofSubject(
      tracking.artist.id,
      key,
      NOT_POSTED_SHOWN,
    )) {
      const note = notPostedNote(deliveries, guildId);
      if (note === null) continue;
      reasons.push(
        `${label} passing ${groupDigits(milestone.threshold)} (${dateLabel(milestone.observedAt, tracking.timezone, 'en')}) was recorded but not posted: ${note}.`,
      );
    }
    if (view.lastAppliedMs !== null && services.now() - view.lastAppliedMs > STALE_AFTER_MS) {
      reasons.push(
        `Stale data: the newest snapshot is from ${view.lastAppliedAt}. Nothing newer has arrived, and a snapshot older than that is ignored.`,
      );
    }
    const settings = guildId === null ? null : await services.guilds.get(guildId);
    if (guildId !== null && settings === null)
      reasons.push('This server has not run `/layover-mod setup` yet.');
    if (settings?.paused === true)
      reasons.push('This server has paused announcements (`/layover-mod resume`).');
    if (settings !== null && !settings.kinds.includes(kind)) {
      reasons.push(
        `This server has ${kindTable[kind].command.option} milestones turned off (\`/layover-mod kinds\`).`,
      );
    }
    const warning = channelWarning(settings);
    if (warning !== null) reasons.push(warning);
    await reply({ content: fitLines(reasons, 2000) });
  },
};
