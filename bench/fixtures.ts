import { parseTrackingText } from '../src/tracking/load-tracking.js';
import type { Tracking } from '../src/tracking/tracking.js';
import type { Snapshot } from '../src/snapshots/schema.js';
import type {
  DestinationKey,
  PublishReceipt,
  PublishRequest,
  Publisher,
} from '../src/platforms/publisher.js';

/** Ladders like the default config's: tracks every 10M, albums every 100M, artist every 100M, followers every 1M. */
const milestones = {
  track: [{ every: 10_000_000 }],
  album: [{ every: 100_000_000 }],
  allTracks: [{ every: 10_000_000 }],
  artist: [{ every: 100_000_000 }],
  followers: [{ every: 1_000_000 }],
};

/** A tracking with `albums` x `tracksPerAlbum` tracks, built through the real config parser. */
export function benchTracking(
  artistId: string,
  albums: number,
  tracksPerAlbum: number,
  ladders: object = milestones,
): Tracking {
  const config = {
    artist: { id: artistId, name: artistId.toUpperCase(), callName: artistId },
    timezone: 'Asia/Seoul',
    albums: Array.from({ length: albums }, (_, a) => ({
      id: `album-${a}`,
      title: `Album ${a}`,
      releasedAt: '2023-09-08T13:00:00+09:00',
      tracks: Array.from({ length: tracksPerAlbum }, (_, t) => ({
        id: `t-${a}-${t}`,
        title: `Track ${a}-${t}`,
      })),
    })),
    milestones: ladders,
  };
  const parsed = parseTrackingText(`${artistId}.json`, JSON.stringify(config));
  if (parsed.tracking === null) throw new Error(parsed.problems.join('\n'));
  return parsed.tracking;
}

/**
 * Rising snapshots for several artists, interleaved (artist 0, 1, …, 0, 1, …) so that concurrent workers mostly
 * apply different artists, as a multi-artist deployment would. Each track gains `minGain`..`maxGain` per
 * snapshot (the default 5k–50k is what a popular track gains between two polls a few minutes apart) and followers
 * up to 200k, so with the default ladders a 6-track album announces a milestone about every eight snapshots
 * (mostly followers, every 1M) and a 300-track catalogue about one every three.
 */
export function* risingSnapshots(
  trackings: readonly Tracking[],
  count: number,
  seed = 1,
  minGain = 5_000,
  maxGain = 50_000,
): Generator<Snapshot> {
  let x = seed;
  const random = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const state = trackings.map((t) => ({
    tracks: new Map(t.albums.flatMap((a) => a.tracks.map((tr) => [tr.id, Math.floor(random() * 5_000_000)]))),
    artist: 500_000_000,
    followers: 10_000_000,
  }));
  const start = Date.parse('2023-09-09T00:00:00Z');
  for (let i = 0; i < count; i += 1) {
    const which = i % trackings.length;
    const tracking = trackings[which]!;
    const s = state[which]!;
    let gained = 0;
    for (const [id, value] of s.tracks) {
      const gain = minGain + Math.floor(random() * (maxGain - minGain));
      s.tracks.set(id, value + gain);
      gained += gain;
    }
    s.artist += gained;
    s.followers += Math.floor(random() * 200_000);
    yield {
      capturedAt: new Date(start + Math.floor(i / trackings.length) * 60_000).toISOString(),
      artist: tracking.artist.id,
      tracks: Object.fromEntries(s.tracks),
      artistStreams: s.artist,
      followers: s.followers,
    };
  }
}

/** A platform that accepts every post at once: the bench measures our pipeline, not a network. */
export class NullPublisher implements Publisher {
  private sequence = 0;
  constructor(readonly platform: string) {}

  destinationsFor(): Promise<DestinationKey[]> {
    return Promise.resolve([`${this.platform}:bench`]);
  }

  publish(request: PublishRequest): Promise<PublishReceipt> {
    this.sequence += 1;
    return Promise.resolve({ platformId: String(this.sequence), text: request.milestone.id });
  }
}
