import { DateTime } from 'luxon';
import type { Language } from './types.js';

/**
 * Zones whose English abbreviation ICU does not know (it answers "GMT+9"); fans say KST, so we do too.
 * Zones that are neither here nor abbreviated by ICU are labelled by their IANA name.
 */
const knownAbbreviations: Readonly<Record<string, string>> = {
  'Asia/Seoul': 'KST',
  'Asia/Tokyo': 'JST',
};

const englishMonths = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

function inZone(iso: string, timezone: string): DateTime {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) throw new RangeError(`not an ISO 8601 date-time: ${iso}`);
  return at.setZone(timezone);
}

/** "KST" for Asia/Seoul, "EDT"/"EST" for America/New_York, "UTC"; otherwise the IANA name ("Europe/Berlin"). */
export function zoneLabel(iso: string, timezone: string): string {
  const known = knownAbbreviations[timezone];
  if (known !== undefined) return known;
  const short = inZone(iso, timezone).setLocale('en-US').offsetNameShort;
  return short !== null && /^[A-Z]{2,5}$/.test(short) ? short : timezone;
}

/** The calendar date of `iso` in `timezone`: "Oct 11, 2023" or "2023년 10월 11일". */
export function dateLabel(iso: string, timezone: string, language: Language): string {
  const local = inZone(iso, timezone);
  if (language === 'ko') return `${local.year}년 ${local.month}월 ${local.day}일`;
  return `${englishMonths[local.month - 1] ?? ''} ${local.day}, ${local.year}`;
}

/** How the day count of a milestone is worded. */
export type DayWording =
  /** Counted from the subject's own release: "in just 33 days". */
  | { readonly style: 'release' }
  /** A pre-released track counts from its own release: "in just 61 days since its pre-release". */
  | { readonly style: 'preRelease' }
  /** Artist and followers count from the latest album: "43 days after the release of Layover". */
  | { readonly style: 'afterAlbum'; readonly album: string };

/**
 * The day phrase a template places after the feat, or '' when there is no day count (null, or negative —
 * a count taken before the release date, which no phrase describes honestly).
 * Day 0 is "on release day", day 1 is singular.
 */
export function dayPhrase(days: number | null, wording: DayWording, language: Language): string {
  if (days === null || days < 0) return '';
  return language === 'ko' ? koreanDayPhrase(days, wording) : englishDayPhrase(days, wording);
}

function englishDayPhrase(days: number, wording: DayWording): string {
  const count = `${days} ${days === 1 ? 'day' : 'days'}`;
  switch (wording.style) {
    case 'release':
      return days === 0 ? 'on release day' : `in just ${count}`;
    case 'preRelease':
      return days === 0 ? 'on its pre-release day' : `in just ${count} since its pre-release`;
    case 'afterAlbum':
      return days === 0
        ? `on the release day of ${wording.album}`
        : `${count} after the release of ${wording.album}`;
  }
}

function koreanDayPhrase(days: number, wording: DayWording): string {
  switch (wording.style) {
    case 'release':
      return days === 0 ? '발매 당일' : `발매 ${days}일 만에`;
    case 'preRelease':
      return days === 0 ? '선공개 당일' : `선공개 ${days}일 만에`;
    case 'afterAlbum':
      return days === 0 ? `${wording.album} 발매 당일` : `${wording.album} 발매 ${days}일 만에`;
  }
}

/** "58-day" (English compound adjective) or "58일" — the length of a previous record. */
export function recordDaysLabel(days: number, language: Language): string {
  return language === 'ko' ? `${days}일` : `${days}-day`;
}
