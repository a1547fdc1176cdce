import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Milestone } from '../../src/milestones/types.js';
import type { HandlersFor, ReplyFile } from '../../src/platforms/discord/interactions/command-types.js';
import { ReplyError, type ReplyLanguage } from '../../src/platforms/discord/interactions/command-types.js';
import { dateLabel } from '../../src/posts/dates.js';
import { groupDigits } from '../../src/posts/numbers.js';
import type { GuildSettings } from '../../src/state/guild-settings.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { layoverCommand } from '../layover.command.js';
import { notPostedNote } from './delivery-notes.js';
import { kindName } from './layover-mod.texts.js';
import { layoverTexts } from './layover.texts.js';
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
export function channelWarning(settings: GuildSettings | null, language: ReplyLanguage): string | null {
  if (settings?.health == null) return null;
  return layoverTexts[language].channelWarning({
    channelId: settings.channelId,
    problem: settings.health.problem,
    detail: settings.health.detail,
    since: settings.health.since.slice(0, 16).replace('T', ' '),
  });
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
  language: ReplyLanguage,
): Promise<ReplyFile | null> {
  try {
    const chart = await services.statusCharts(tracking, albumId, stateVersion, language);
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
    const w = layoverTexts[language];
    const found = findAlbum(services.trackings, options.album);
    if (found === null) throw ReplyError.of(layoverTexts, (t) => t.noAlbum(options.album ?? ''));
    const { tracking, album } = found;
    const view = await services.artistState.view(tracking.artist.id);
    if (view.lastAppliedAt === null) {
      await reply({ content: w.noDataFor(tracking.artist.name) });
      return;
    }
    // The chart is an upload (a webhook edit): acknowledge first (Discord wants a first answer within three
    // seconds), then draw it.
    await defer({ ephemeral: false });
    const warning =
      isModerator(memberPermissions) && guildId !== null
        ? channelWarning(await services.guilds.get(guildId), language)
        : null;
    const page = statusPage(tracking, album, view, { page: 0, nowMs: services.now(), language });
    const chart = await statusChart(services, tracking, album.id, view.version, language);
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
    const w = layoverTexts[language];
    const limit = options.limit ?? 10;
    const lines: string[] = [];
    for (const tracking of services.trackings) {
      for (const { milestone: m, deliveries } of await services.milestones.recentWithDeliveries(
        tracking.artist.id,
        limit,
      )) {
        lines.push(
          w.milestoneLine({
            date: dateLabel(m.observedAt, tracking.timezone, language),
            label: subjectLabel(tracking, m.kind, m.albumId, m.trackId, m.videoId, language),
            threshold: groupDigits(m.threshold),
            day: m.daysSinceRelease,
            notPosted: notPostedNote(deliveries, guildId, language),
          }),
        );
      }
    }
    await reply({
      content: lines.length === 0 ? w.nothingAnnounced : fitLines(lines.slice(0, limit), 2000, w.more),
    });
  },

  async next({ services, reply, language }) {
    const w = layoverTexts[language];
    const upcoming: { p: SubjectProgress; tracking: Tracking }[] = [];
    for (const tracking of services.trackings) {
      const view = await services.artistState.view(tracking.artist.id);
      for (const ref of subjectsOf(tracking, language)) {
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
      content: lines.length === 0 ? w.noUpcoming : fitLines(lines, 2000, w.more),
    });
  },

  async why({ options, services, reply, guildId, language }) {
    const w = layoverTexts[language];
    const found = findAlbum(services.trackings, options.album);
    if (found === null) throw ReplyError.of(layoverTexts, (t) => t.noAlbum(options.album ?? ''));
    const { tracking, album } = found;
    let key = `album:${album.id}`;
    let kind: Milestone['kind'] = 'album';
    let label = subjectLabel(tracking, 'album', album.id, null, null, language);
    if (options.track !== undefined) {
      const query = options.track;
      const track = album.tracks.find((t) => namesExactly(t, query));
      if (track === undefined) {
        throw ReplyError.of(layoverTexts, (t, l) =>
          t.noSong(l === 'ko' ? (album.titleKo ?? album.title) : album.title, query),
        );
      }
      key = `track:${track.id}`;
      kind = 'track';
      label = subjectLabel(tracking, 'track', album.id, track.id, null, language);
    }
    const view = await services.artistState.view(tracking.artist.id);
    const subject = view.subjects.get(key);
    const reasons: string[] = [];
    if (subject === undefined || subject.decision === null || subject.value === null) {
      reasons.push(w.notSeen(label));
    } else {
      const ladder = tracking.ladders[kind];
      const p = progressOf(
        tracking,
        { key, kind, label },
        subject,
        view.lastAppliedAt,
        view.previousAppliedAt,
      );
      const next = p?.next === null || p === null ? w.noNext : groupDigits(p.next);
      const value = groupDigits(subject.value);
      const reached = groupDigits(subject.reached ?? 0);
      if (ladder === undefined) reasons.push(w.noLadder(kindName(kind, language)));
      else if (subject.decision === 'baseline') reasons.push(w.baseline(label, value, next));
      else if (subject.decision === 'announced') reasons.push(w.announced(label, reached));
      else reasons.push(w.below(label, value, reached, next));
    }
    for (const { milestone, deliveries } of await services.milestones.ofSubject(
      tracking.artist.id,
      key,
      NOT_POSTED_SHOWN,
    )) {
      const note = notPostedNote(deliveries, guildId, language);
      if (note === null) continue;
      reasons.push(
        w.recordedNotPosted(
          label,
          groupDigits(milestone.threshold),
          dateLabel(milestone.observedAt, tracking.timezone, language),
          note,
        ),
      );
    }
    if (view.lastAppliedMs !== null && services.now() - view.lastAppliedMs > STALE_AFTER_MS) {
      reasons.push(w.stale(view.lastAppliedAt ?? '?'));
    }
    const settings = guildId === null ? null : await services.guilds.get(guildId);
    if (guildId !== null && settings === null) reasons.push(w.noSetup);
    if (settings?.paused === true) reasons.push(w.paused);
    if (settings !== null && !settings.kinds.includes(kind))
      reasons.push(w.kindOff(kindName(kind, language)));
    const warning = channelWarning(settings, language);
    if (warning !== null) reasons.push(warning);
    await reply({ content: fitLines(reasons, 2000) });
  },
};
