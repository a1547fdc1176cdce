/**
 * The placeholders a post template may use, with what each holds. Every placeholder exists for every kind;
 * one that does not apply is empty ('' or false), so `{{#name}}…{{/name}}` shows a part only when it applies.
 * Built-in templates and server overrides ({@link import('./validate-template.js').validateTemplate}) share
 * this list; a template naming anything else is refused.
 */
export const templatePlaceholders = {
  callName: 'what fans call the artist, e.g. "Taehyung"',
  artist: 'the stage name, e.g. "V"',
  album: "the album's title (for artist and followers: the latest album released by then; may be empty)",
  track: "the track's title (track milestones only)",
  subject: 'what crossed the line: the track, the album, or the artist',
  threshold: 'the milestone in words: "500 million", "5억"',
  thresholdCaps: 'the milestone in capitals: "500 MILLION"',
  thresholdShort: 'the milestone, compact: "500M", "5억"',
  value: 'the count observed, in words: "503.01 million", "5억 301만"',
  valueShort: 'the count observed, compact: "15.72M", "1,572만"',
  valueExact: 'the count observed, every digit: "503,012,345"',
  days: 'whole days since release (empty when unknown)',
  inDays:
    'the day phrase: "in just 33 days", "on release day", "43 days after the release of Layover" (or empty)',
  preRelease: 'section: set when a track counts from its own pre-release',
  record: 'section: set when a record was broken',
  recordTitle: 'the record broken, e.g. "fastest K-pop solo album to 500 million Spotify streams"',
  recordHolder: 'who held the record, e.g. "FACE"',
  recordDays: 'the previous record in days, e.g. "58"',
  recordDaysLabel: 'the previous record as an adjective: "58-day", "58일"',
  lastTrack: 'all-tracks milestones: the song that crossed last, e.g. "Blue"',
  hashtags: 'the configured hashtags, e.g. "#V #Layover" (dropped first when a post is too long)',
  date: 'the date of the data in the tracking time zone: "Oct 11, 2023"',
  zone: 'the time zone label: "KST"',
} as const;

export type PlaceholderName = keyof typeof templatePlaceholders;

/** Placeholder names, in documentation order. */
export const knownPlaceholders: readonly PlaceholderName[] = Object.keys(
  templatePlaceholders,
) as PlaceholderName[];

const known: ReadonlySet<string> = new Set(knownPlaceholders);

export function isKnownPlaceholder(name: string): name is PlaceholderName {
  return known.has(name);
}

/** The values a template is rendered with: text, or a flag for sections. */
export type PostView = {
  readonly [K in PlaceholderName]: K extends 'preRelease' | 'record' ? boolean : string;
};
