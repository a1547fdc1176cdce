import type { AutocompleteHandler } from '../../src/platforms/discord/interactions/command-types.js';
import type { LayoverServices } from '../services.js';
import { findAlbum } from './progress.js';
import { albumChoices, songChoices } from './title-search.js';

/**
 * Autocomplete of `/layover`: album titles for `album`, and song titles for `track` (of the album already
 * chosen or, as the command itself, the latest; of every album when the typed album is unknown), matching English and Korean titles case-insensitively, prefixes first.
 */
export const layoverAutocomplete: AutocompleteHandler<LayoverServices> = ({ focused, options, services }) => {
  if (focused.name === 'album') return Promise.resolve(albumChoices(services.trackings, focused.value));
  if (focused.name === 'track') {
    // The album the command will use: the one typed, else the latest (as the handler does).
    const albumQuery = typeof options.album === 'string' ? options.album : undefined;
    const album = findAlbum(services.trackings, albumQuery)?.album ?? null;
    return Promise.resolve(songChoices(services.trackings, album, focused.value));
  }
  return Promise.resolve([]);
};
