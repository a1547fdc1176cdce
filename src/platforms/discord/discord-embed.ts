import { DateTime } from 'luxon';
import { kindScope, kindTable } from '../../milestone-kinds.js';
import type { Milestone } from '../../milestones/types.js';
import { clipWords } from '../../posts/fit-text.js';
import type { PostView } from '../../posts/placeholders.js';
import type { Language } from '../../posts/types.js';
import { discordEmbedLimits } from './discord-post-limits.js';

/** A Discord embed as we send it (a subset of Discord's embed object). */
export interface DiscordEmbed {
  title: string;
  description: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  timestamp?: string;
}

/** The embed's accent colour (a soft purple). */
export const embedColor = 0x8a6fdf;

/** Characters Discord markdown gives a meaning to. */
const markdownSpecials = /[\\*_~`|>[\]]/g;

/**
 * Makes a config-supplied text safe inside Discord markdown: markdown characters are escaped and
 * `@everyone`/`@here` get a zero-width space so that they can never ping, whatever `allowed_mentions` says.
 */
export function discordSafe(text: string): string {
  return text.replace(markdownSpecials, '\\$&').replace(/@(everyone|here)/gi, '@\u200b$1');
}

interface EmbedWords {
  title(view: PostView, kind: Milestone['kind']): string;
  description(view: PostView, kind: Milestone['kind']): string;
  countField(kind: Milestone['kind']): string;
  countValue(view: PostView): string;
  daysField(view: PostView, kind: Milestone['kind']): string;
  daysValue(view: PostView): string;
  recordField: string;
  recordValue(view: PostView): string;
  lastTrackField: string;
  footer(view: PostView): string;
}

function sentenceEnd(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const english: EmbedWords = {
  title: (v, kind) => {
    switch (kind) {
      case 'allTracks':
        return `${v.album} · every song past ${v.threshold}`;
      case 'followers':
        return `${v.artist} · ${v.threshold} followers`;
      case 'views':
        return `${v.subject} · ${v.threshold} views`;
      case 'track':
      case 'album':
      case 'artist':
        return `${v.subject} · ${v.threshold} streams`;
    }
  },
  description: (v, kind) => {
    const when = v.inDays === '' ? '' : ` ${v.inDays}`;
    switch (kind) {
      case 'track':
        return sentenceEnd(
          `**${v.track}** by ${v.artist} has passed **${v.threshold}** Spotify streams${when}`,
        );
      case 'album':
        return sentenceEnd(
          `**${v.album}** by ${v.artist} has passed **${v.threshold}** Spotify streams${when}`,
        );
      case 'allTracks': {
        const all = sentenceEnd(
          `Every song on **${v.album}** has passed **${v.threshold}** Spotify streams${when}`,
        );
        return v.lastTrack === '' ? all : `${all} ${v.lastTrack} was the last to cross.`;
      }
      case 'artist':
        return sentenceEnd(
          `**${v.artist}** has passed **${v.threshold}** Spotify streams${v.inDays === '' ? '' : `,${when}`}`,
        );
      case 'followers':
        return `**${v.artist}** has passed **${v.threshold}** followers on Spotify (now ${v.valueShort}).`;
      case 'views':
        return sentenceEnd(
          `**${v.subject}** by ${v.artist} has passed **${v.threshold}** views on YouTube${when}`,
        );
    }
  },
  countField: (kind) => kindTable[kind].labels.en.count,
  countValue: (v) => v.valueExact,
  daysField: (v, kind) =>
    kindScope(kind) === 'artist'
      ? v.album === ''
        ? 'Days since release'
        : `Days since ${v.album}`
      : v.preRelease
        ? 'Days since pre-release'
        : 'Days since release',
  daysValue: (v) => v.days,
  recordField: 'Record broken',
  recordValue: (v) =>
    `${v.recordTitle}: ${v.days} ${v.days === '1' ? 'day' : 'days'} (previously ${v.recordHolder}, ${v.recordDays} days)`,
  lastTrackField: 'Last to cross',
  footer: (v) => `Data as of ${v.date} ${v.zone}`,
};

const korean: EmbedWords = {
  title: (v, kind) => {
    switch (kind) {
      case 'allTracks':
        return `${v.album} · 전곡 ${v.threshold} 돌파`;
      case 'followers':
        return `${v.artist} · 팔로워 ${v.threshold} 명`;
      case 'views':
        return `${v.subject} · 조회수 ${v.threshold} 회`;
      case 'track':
      case 'album':
      case 'artist':
        return `${v.subject} · 스트리밍 ${v.threshold} 회`;
    }
  },
  description: (v, kind) => {
    const when = v.inDays === '' ? '' : ` (${v.inDays})`;
    switch (kind) {
      case 'track':
        return `${v.artist}의 **${v.track}** 스포티파이 스트리밍 **${v.threshold}** 회 돌파${when}`;
      case 'album':
        return `${v.artist}의 **${v.album}** 스포티파이 스트리밍 **${v.threshold}** 회 돌파${when}`;
      case 'allTracks': {
        const all = `**${v.album}** 전곡 스포티파이 스트리밍 **${v.threshold}** 회 돌파${when}`;
        return v.lastTrack === '' ? all : `${all}\n마지막 주자: ${v.lastTrack}`;
      }
      case 'artist':
        return `**${v.artist}** 스포티파이 누적 스트리밍 **${v.threshold}** 회 돌파${when}`;
      case 'followers':
        return `**${v.artist}** 스포티파이 팔로워 **${v.threshold}** 명 돌파 (현재 ${v.valueShort} 명)`;
      case 'views':
        return `${v.artist}의 **${v.subject}** 유튜브 조회수 **${v.threshold}** 회 돌파${when}`;
    }
  },
  countField: (kind) => kindTable[kind].labels.ko.count,
  countValue: (v) => `${v.value} (${v.valueExact})`,
  daysField: (v, kind) =>
    kindScope(kind) === 'artist'
      ? v.album === ''
        ? '발매 후'
        : `${v.album} 발매 후`
      : kindScope(kind) === 'video'
        ? '공개 후'
        : v.preRelease
          ? '선공개 후'
          : '발매 후',
  daysValue: (v) => `${v.days}일`,
  recordField: '기록 경신',
  recordValue: (v) => `${v.recordTitle}: ${v.days}일 (종전 ${v.recordHolder}, ${v.recordDays}일)`,
  lastTrackField: '마지막 주자',
  footer: (v) => `${v.date} ${v.zone} 기준 데이터`,
};

/**
 * The embed that goes with a milestone's Discord message: a title, a one-line summary, the count, the days,
 * the record (when one was broken) and the song that crossed last (all-tracks milestones), with a footer
 * giving the date of the data in the tracking time zone. Every part is clipped to Discord's embed limits.
 *
 * `view` must be the Discord view (free texts passed through {@link discordSafe}).
 */
export function buildDiscordEmbed(milestone: Milestone, view: PostView, language: Language): DiscordEmbed {
  const words = language === 'ko' ? korean : english;
  const limits = discordEmbedLimits;
  const fields: { name: string; value: string; inline: boolean }[] = [];
  const field = (name: string, value: string, inline = true): void => {
    fields.push({
      name: clipWords(name, limits.fieldName),
      value: clipWords(value, limits.fieldValue),
      inline,
    });
  };
  field(words.countField(milestone.kind), words.countValue(view));
  if (view.days !== '') field(words.daysField(view, milestone.kind), words.daysValue(view));
  if (view.lastTrack !== '') field(words.lastTrackField, view.lastTrack);
  if (view.record) field(words.recordField, words.recordValue(view), false);
  const title = clipWords(words.title(view, milestone.kind), limits.title);
  const footer = clipWords(words.footer(view), limits.footer);
  const others =
    title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const description = clipWords(
    words.description(view, milestone.kind),
    Math.max(1, Math.min(limits.description, limits.total - others)),
  );
  const embed: DiscordEmbed = { title, description, color: embedColor, fields, footer: { text: footer } };
  const observed = DateTime.fromISO(milestone.observedAt, { setZone: true });
  const timestamp = observed.isValid ? observed.toUTC().toISO() : null;
  return timestamp === null ? embed : { ...embed, timestamp };
}

/** The characters Discord counts against an embed's 6000 total: title, description, field names and values, footer. */
export function embedLength(embed: DiscordEmbed): number {
  return (
    embed.title.length +
    embed.description.length +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (embed.footer?.text.length ?? 0)
  );
}
