import { readFileSync } from 'node:fs';
import { parseTrackingText } from '../../src/tracking/load-tracking.js';
import type { TrackingConfigInput } from '../../src/tracking/schema.js';
import type { Tracking } from '../../src/tracking/tracking.js';

/** Placeholder Spotify ids the kworb fixture pages use for the Layover tracks that have no known id. */
export const fixtureSpotifyIds: Readonly<Record<string, string>> = {
  blue: 'FixtureBlue00000000001',
  'slow-dancing': 'FixtureSlowDancing0001',
  'for-us': 'FixtureForUs0000000001',
  'slow-dancing-piano': 'FixturePiano0000000001',
};

/** The bytes of a fixture page, as a server would send them. */
export function kworbFixture(
  name: 'normal' | 'featured-only' | 'empty-daily' | 'changed-layout' | 'headerless',
): Buffer {
  return readFileSync(new URL(`../fixtures/kworb/${name}.html`, import.meta.url));
}

/** config/layover.json with every track given a Spotify id (the placeholders above where none is known). */
export function kworbTracking(): Tracking {
  const config = JSON.parse(readFileSync('config/layover.json', 'utf8')) as TrackingConfigInput;
  for (const album of config.albums) {
    for (const track of album.tracks) {
      const placeholder = fixtureSpotifyIds[track.id];
      if (track.spotifyId === undefined && placeholder !== undefined) track.spotifyId = placeholder;
    }
  }
  const result = parseTrackingText('kworb-fixture-tracking', JSON.stringify(config));
  if (result.tracking === null) throw new Error(result.problems.join('\n'));
  return result.tracking;
}
