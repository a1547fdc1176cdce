import type { Tracking } from '../tracking/tracking.js';

/**
 * Optimal string alignment distance (Levenshtein plus the swap of two neighbours, so `bleu` is 1 from `blue`).
 * Gives up early: any answer above `max` is returned as `max + 1`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (before[j - 2] as number) + 1);
      }
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length] as number, max + 1);
}

/** `Slow Dancing (Piano Ver.)` -> `slow-dancing-piano-ver`: how a title would be typed as a key. */
export function slugOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Edits allowed between a key and a candidate of this length: 1 per 4 characters, at least 1. */
function allowedEdits(length: number): number {
  return Math.max(1, Math.floor(length / 4));
}

/**
 * The track id a key that matches nothing probably meant: the track whose id, Spotify id or title slug is
 * closest to the key (or to the key written as a slug), within a few edits for its length; null when nothing
 * is that close. Ties go to the track listed first in the config.
 */
export function suggestTrackId(key: string, tracking: Tracking): string | null {
  const forms = [...new Set([key, slugOf(key)])].filter((f) => f !== '');
  const candidates: [string, string][] = [...tracking.trackKeyToId];
  for (const track of tracking.tracksById.values()) candidates.push([slugOf(track.title), track.id]);
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [candidate, trackId] of candidates) {
    const max = Math.min(allowedEdits(candidate.length), bestDistance - 1);
    if (max < 0) continue;
    for (const form of forms) {
      const d = editDistance(form, candidate, max);
      if (d <= max && d < bestDistance) {
        best = trackId;
        bestDistance = d;
      }
    }
  }
  return best;
}
