import { kindScope } from '../milestone-kinds.js';
import type { MilestoneKind } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { dateLabel, dayPhrase, recordDaysLabel, zoneLabel, type DayWording } from './dates.js';
import { tidyText } from './fit-text.js';
import { countCompact, countWords, englishWords, groupDigits, koreanWords } from './numbers.js';
import type { PostView } from './placeholders.js';
import type { PostFormat } from './post-format.js';
import { templateProblemText, type MentionKind, type TemplateProblem } from './template-problems.js';
import { renderTemplate, templateSyntaxIssues } from './template-syntax.js';
import type { Language } from './types.js';

export { knownPlaceholders, templatePlaceholders, type PlaceholderName } from './placeholders.js';
export { templateProblemText, type TemplateProblem } from './template-problems.js';

/** What a template override is for. */
export interface TemplateTarget {
  /** The platform's format: its length rule judges the template rendered with the longest realistic values. */
  readonly format: Pick<PostFormat<unknown>, 'lengthProblem'>;
  readonly kind: MilestoneKind;
  /** The tracking config the template will be used with: its longest titles are tried. */
  readonly tracking?: Tracking;
  /** Check with this language's wording only; by default both are tried. */
  readonly language?: Language;
}

export type TemplateValidation =
  { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

const mentionPatterns: readonly { readonly pattern: RegExp; readonly mention: MentionKind }[] = [
  { pattern: /@everyone/i, mention: 'everyone' },
  { pattern: /@here/i, mention: 'here' },
  { pattern: /<@&/, mention: 'role' },
  { pattern: /<@!?(?!&)/, mention: 'user' },
];

function english(problems: readonly TemplateProblem[]): string[] {
  return problems.map((problem) => templateProblemText(problem, 'en'));
}

/** One problem per kind of mention found in `text` ([] when there is none). */
function mentionIssues(text: string, rendered: boolean): TemplateProblem[] {
  return mentionPatterns
    .filter(({ pattern }) => pattern.test(text))
    .map(({ mention }) => ({ kind: 'mention', mention, rendered }));
}

/**
 * One message per kind of mention found in `text` ([] when there is none). No template on any platform may ping
 * anyone: the role to ping is the server's setting, added by the publisher.
 */
export function mentionProblems(text: string): string[] {
  return english(mentionIssues(text, false));
}

/** A masked (markdown) link, `[text](https://…)`: the shown text hides where it leads. */
const maskedLink = /\]\(\s*<?\s*[a-z][a-z0-9+.-]*:/i;

function maskedLinkIssues(text: string, rendered: boolean): TemplateProblem[] {
  return maskedLink.test(text) ? [{ kind: 'maskedLink', rendered }] : [];
}

/** One message when `text` holds a masked link ([] when it has none). */
export function maskedLinkProblems(text: string): string[] {
  return english(maskedLinkIssues(text, false));
}

function renderedOutputIssues(rendered: string): TemplateProblem[] {
  return [...mentionIssues(rendered, true), ...maskedLinkIssues(rendered, true)];
}

/**
 * Mentions and masked links in a rendered post: what a template may not produce, however its placeholders and
 * sections come out (`@every{{!x}}one` renders to `@everyone`).
 */
export function renderedOutputProblems(rendered: string): string[] {
  return english(renderedOutputIssues(rendered));
}

/** Long values that real configs reach; a tracking config's own titles are used when they are longer. */
const generic = {
  callName: 'Kim Taehyung and friends',
  artist: 'V and the Layover band',
  title: 'Slow Dancing (Piano Ver.) [Extended Mix with Strings]',
  recordTitle: 'fastest K-pop solo album to have every song pass 100 million Spotify streams',
  recordHolder: 'FACE (Jimin), the record holder',
  hashtags: '#V #Layover #LayoverIsComing #KimTaehyung',
  zone: 'KST',
} as const;

function longest(values: readonly string[]): string {
  return values.reduce((best, value) => (value.length > best.length ? value : best), '');
}

/** The longest realistic view for a kind: long titles, long numbers, three-digit days and a record. */
function longestView(kind: MilestoneKind, language: Language, tracking: Tracking | undefined): PostView {
  const albums = tracking?.albums.map((album) => album.title) ?? [];
  const tracks = tracking?.albums.flatMap((album) => album.tracks.map((track) => track.title)) ?? [];
  const videos = tracking?.videos.map((video) => video.title) ?? [];
  const records = tracking?.records ?? [];
  const album = longest([generic.title, ...albums]);
  const track = longest([generic.title, ...tracks]);
  const callName = longest([generic.callName, tracking?.artist.callName ?? '']);
  const artist = longest([generic.artist, tracking?.artist.name ?? '']);
  const threshold = 1_550_000_000;
  const value = 1_555_555_555;
  const days = 365;
  const scope = kindScope(kind);
  const wording: DayWording = scope === 'artist' ? { style: 'afterAlbum', album } : { style: 'preRelease' };
  const at = '2023-12-31T23:00:00+09:00';
  const timezone = tracking?.timezone ?? 'Asia/Seoul';
  return {
    callName,
    artist,
    album,
    track: scope === 'track' || scope === 'video' ? track : '',
    subject:
      scope === 'track'
        ? track
        : scope === 'album'
          ? album
          : scope === 'video'
            ? longest([generic.title, ...videos])
            : artist,
    threshold: countWords(threshold, language),
    thresholdCaps: language === 'ko' ? koreanWords(threshold) : englishWords(threshold).toUpperCase(),
    thresholdShort: countCompact(threshold, language),
    value: countWords(value, language),
    valueShort: countCompact(value, language),
    valueExact: groupDigits(value),
    days: String(days),
    inDays: dayPhrase(days, wording, language),
    preRelease: scope === 'track',
    record: true,
    recordTitle: longest([generic.recordTitle, ...records.map((r) => r.title)]),
    recordHolder: longest([generic.recordHolder, ...records.map((r) => r.holder)]),
    recordDays: String(days + 1),
    recordDaysLabel: recordDaysLabel(days + 1, language),
    lastTrack: kind === 'allTracks' ? track : '',
    hashtags: tracking?.artist.hashtags?.join(' ') ?? generic.hashtags,
    date: dateLabel(at, timezone, language),
    zone: tracking === undefined ? generic.zone : zoneLabel(at, timezone),
  };
}

/**
 * Sample views covering every placeholder and section: the longest view, each combination of the yes/no
 * placeholders, and one where every text placeholder is empty (so inverted sections render too).
 */
function sampleViews(kind: MilestoneKind, language: Language, tracking: Tracking | undefined): PostView[] {
  const longest = longestView(kind, language, tracking);
  const views: PostView[] = [];
  for (const preRelease of [true, false]) {
    for (const record of [true, false]) views.push({ ...longest, preRelease, record });
  }
  const empty = Object.fromEntries(
    Object.entries(longest).map(([name, value]) => [name, typeof value === 'string' ? '' : false]),
  ) as unknown as PostView;
  views.push(empty);
  return views;
}

function lengthProblem(text: string, target: TemplateTarget, language: Language): TemplateProblem | null {
  if (text === '') return { kind: 'rendersEmpty', values: language };
  const problem = target.format.lengthProblem(text);
  return problem === null ? null : { ...problem, values: language };
}

/**
 * Checks a template override (a server's own wording for one platform and kind) before it is stored:
 * known placeholders only (see {@link knownPlaceholders}), no partials, no mentions (@everyone, @here, <@…>,
 * <@&…>) and no masked links, neither in the text nor once rendered with sample values for every placeholder and
 * section, and fit for the platform ({@link TemplateTarget.format}) when rendered with the longest realistic values.
 * Every problem gets its own message.
 */
export function validateTemplate(text: string, target: TemplateTarget): TemplateValidation {
  const problems = templateProblems(text, target);
  return problems.length === 0 ? { ok: true } : { ok: false, errors: english(problems) };
}

/** {@link validateTemplate}'s problems as data, to be worded in any language ([] when the template is fine). */
export function templateProblems(text: string, target: TemplateTarget): TemplateProblem[] {
  if (text.trim() === '') return [{ kind: 'empty' }];
  const errors = [
    ...templateSyntaxIssues(text),
    ...mentionIssues(text, false),
    ...maskedLinkIssues(text, false),
  ];
  if (errors.length === 0) {
    const languages: readonly Language[] = target.language === undefined ? ['en', 'ko'] : [target.language];
    // One of each problem, however many sample views produce it.
    const rendered = new Map<string, TemplateProblem>();
    for (const language of languages) {
      for (const view of sampleViews(target.kind, language, target.tracking)) {
        const output = renderTemplate(text, view);
        for (const problem of [...renderedOutputIssues(output), ...renderedOutputIssues(tidyText(output))]) {
          rendered.set(templateProblemText(problem, 'en'), problem);
        }
      }
    }
    errors.push(...rendered.values());
  }
  if (errors.length === 0) {
    const languages: readonly Language[] = target.language === undefined ? ['en', 'ko'] : [target.language];
    for (const language of languages) {
      const rendered = tidyText(renderTemplate(text, longestView(target.kind, language, target.tracking)));
      const problem = lengthProblem(rendered, target, language);
      if (problem !== null) {
        errors.push(problem);
        break;
      }
    }
  }
  return errors;
}
