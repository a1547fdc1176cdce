import { DateTime } from 'luxon';
import type { Milestone } from '../milestones/types.js';
import { latestAlbumReleasedBy, type Tracking } from '../tracking/tracking.js';

/** The colours a card or chart is drawn in, as CSS hex strings. */
export interface CardTheme {
  /** Top-left of the background gradient. */
  readonly background: string;
  /** Bottom-right of the background gradient (darker). */
  readonly backgroundEnd: string;
  /** Kicker, captions and the album line of a chart. */
  readonly accent: string;
  /** The big number and titles. */
  readonly text: string;
  /** Footer and secondary lines. */
  readonly muted: string;
  /** Record lines. */
  readonly highlight: string;
}

/**
 * Hand-picked themes for albums we know, keyed by album id. Everything else gets {@link derivedTheme}
 * (the tracking schema is shared and strict, so a per-album colour is not a config field).
 */
const builtInThemes: Readonly<Record<string, CardTheme>> = {
  // Layover's cover is a grey-blue, rain-light photograph; the fandom's colour is purple.
  layover: {
    background: '#24324a',
    backgroundEnd: '#141b29',
    accent: '#b9a4ff',
    text: '#ffffff',
    muted: '#aeb8cc',
    highlight: '#ffd36e',
  },
};

/** FNV-1a, 32 bit: a stable hash so that the same id always gets the same colour. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** `hsl(h, s%, l%)` as `#rrggbb`. */
export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const k = (n + hue / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** A dark, readable theme whose hue is derived from `key` (an album or artist id): deterministic, never random. */
export function derivedTheme(key: string): CardTheme {
  const hue = hash32(key) % 360;
  return {
    background: hslToHex(hue, 42, 22),
    backgroundEnd: hslToHex(hue, 48, 11),
    accent: hslToHex((hue + 30) % 360, 85, 76),
    text: '#ffffff',
    muted: hslToHex(hue, 18, 76),
    highlight: '#ffd36e',
  };
}

/** The album's built-in theme, else one derived from its id. */
export function albumTheme(albumId: string): CardTheme {
  return builtInThemes[albumId] ?? derivedTheme(albumId);
}

/**
 * The theme of a milestone's card: its album's; for artist and followers milestones the latest album released by
 * then (the era fans are in), else a theme derived from the artist id.
 */
export function milestoneTheme(milestone: Milestone, tracking: Tracking): CardTheme {
  const albumId =
    milestone.albumId ??
    latestAlbumReleasedBy(tracking, DateTime.fromISO(milestone.observedAt, { setZone: true }).toMillis())?.id;
  return albumId === undefined ? derivedTheme(tracking.artist.id) : albumTheme(albumId);
}
