import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { TrackedAlbum, TrackedTrack, Tracking } from '../../src/tracking/tracking.js';

/** Discord shows at most 25 autocomplete choices. */
export const MAX_CHOICES = 25;

/** Case-insensitive, width- and composition-insensitive form of a title or a query. */
export function normalizeTitle(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('en-US').replace(/\s+/g, ' ').trim();
}

/** Whether `query` names this album or song exactly: its id, English title or Korean title. */
export function namesExactly(
  entry: { readonly id: string; readonly title: string; readonly titleKo: string | undefined },
  query: string,
): boolean {
  const q = normalizeTitle(query);
  return [entry.id, entry.title, entry.titleKo].some(
    (name) => name !== undefined && normalizeTitle(name) === q,
  );
}

/** 0 for a prefix match, 1 for a match inside, null for none; over the English and the Korean title. */
function rank(
  entry: { readonly title: string; readonly titleKo: string | undefined },
  query: string,
): number | null {
  const q = normalizeTitle(query);
  if (q === '') return 0;
  const names = [entry.title, entry.titleKo].flatMap((n) => (n === undefined ? [] : [normalizeTitle(n)]));
  if (names.some((n) => n.startsWith(q))) return 0;
  if (names.some((n) => n.includes(q))) return 1;
  return null;
}

/** A choice name: the English title with the Korean one beside it, at most 100 characters. */
function choiceName(entry: { readonly title: string; readonly titleKo: string | undefined }): string {
  const name = entry.titleKo === undefined ? entry.title : `${entry.title} · ${entry.titleKo}`;
  const chars = [...name];
  return chars.length <= 100 ? name : `${chars.slice(0, 99).join('')}…`;
}

function choices<
  T extends { readonly id: string; readonly title: string; readonly titleKo: string | undefined },
>(entries: readonly T[], query: string): APIApplicationCommandOptionChoice<string>[] {
  return entries
    .map((entry, order) => ({ entry, order, rank: rank(entry, query) }))
    .filter((x): x is { entry: T; order: number; rank: number } => x.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, MAX_CHOICES)
    .map(({ entry }) => ({ name: choiceName(entry), value: entry.id }));
}

/** Albums of every tracked artist whose English or Korean title contains `query` (prefixes first), ≤ 25. */
export function albumChoices(
  trackings: readonly Tracking[],
  query: string,
): APIApplicationCommandOptionChoice<string>[] {
  return choices(
    trackings.flatMap((t): TrackedAlbum[] => [...t.albumsByRelease].reverse()),
    query,
  );
}

/** Songs (of `album`, or of every tracked album) whose English or Korean title contains `query`, ≤ 25. */
export function songChoices(
  trackings: readonly Tracking[],
  album: TrackedAlbum | null,
  query: string,
): APIApplicationCommandOptionChoice<string>[] {
  const songs: readonly TrackedTrack[] =
    album?.tracks ?? trackings.flatMap((t) => t.albums.flatMap((a) => a.tracks));
  return choices(songs, query);
}
