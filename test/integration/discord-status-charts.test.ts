import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatusChart, type StatusChartDrawer } from '../../src/cards/status-chart.js';
import { stateKeys } from '../../src/state/keys.js';
import { MilestoneStore } from '../../src/state/milestone.store.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import {
  postInteraction,
  seedSnapshots,
  startInteractionsApp,
  type InteractionsApp,
} from '../helpers/interactions-app.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const keys = interactionKeyPair();
const day = (date: string, base: number) => ({
  capturedAt: `${date}T23:00:00+09:00`,
  tracks: Object.fromEntries(trackIds.map((id, i) => [id, base + i * 1e6])),
});

describe('/layover status charts', () => {
  const prefix = uniquePrefix('status-charts');
  let harness: InteractionsApp;
  const drawn: string[] = [];
  /** `renderStatusChart`, counting each drawing and noting the date of its newest point. */
  const countingDraw: StatusChartDrawer = (series, milestones, t, options) => {
    drawn.push(series.at(-1)?.at ?? '');
    return renderStatusChart(series, milestones, t, options);
  };

  beforeAll(async () => {
    harness = await startInteractionsApp({
      prefix,
      publicKeyHex: keys.publicKeyHex,
      tracking,
      charts: { drawChart: countingDraw },
    });
    await seedSnapshots(harness.redis, prefix, tracking, [day('2023-10-10', 80e6), day('2023-10-11', 81e6)]);
  });
  afterAll(async () => {
    await harness.close();
  });

  /** Sends `count` `/layover status` at once; the chart each edit carried, in order. */
  async function statusBurst(count: number): Promise<Buffer[]> {
    const interactions = Array.from({ length: count }, () =>
      chatInputInteraction({ command: 'layover', subcommand: 'status' }),
    );
    await Promise.all(
      interactions.map((i) => postInteraction(harness.app, harness.emulator, keys.privateKey, i)),
    );
    const edits = await until(`${count} status edits`, () => {
      const found = interactions.map((i) =>
        harness.emulator.interactionReplies.find(
          (r) => r.method === 'PATCH' && r.path.includes(String(i.token)),
        ),
      );
      return found.every((edit) => edit !== undefined) ? found : null;
    });
    return edits.map((edit) => {
      const [file] = edit?.files ?? [];
      if (file === undefined) throw new Error('a status edit came without its chart');
      return file.data;
    });
  }

  it('draws once for 50 concurrent requests on the same data, and again once the data changes', async () => {
    const first = await statusBurst(50);
    expect(drawn).toEqual(['2023-10-11T23:00:00+09:00']);
    expect(new Set(first.map((png) => png.toString('base64'))).size).toBe(1);

    // The same data later: the kept chart, no drawing.
    await statusBurst(5);
    expect(drawn).toHaveLength(1);

    // A new snapshot moves the artist state's version: the next requests get a chart with the new point.
    await seedSnapshots(harness.redis, prefix, tracking, [day('2023-10-12', 82e6)]);
    const after = await statusBurst(10);
    expect(drawn).toEqual(['2023-10-11T23:00:00+09:00', '2023-10-12T23:00:00+09:00']);
    expect(after[0]?.equals(first[0]!)).toBe(false);
  });

  it('draws again when a milestone is recorded after the snapshot that announced it (it is drawn as a marker)', async () => {
    const before = drawn.length;
    await statusBurst(3);
    expect(drawn).toHaveLength(before);
    await new MilestoneStore(harness.redis, stateKeys(prefix)).record([
      {
        milestone: {
          id: 'v/album:layover/500000000',
          artistId: 'v',
          kind: 'album',
          albumId: 'layover',
          trackId: null,
          videoId: null,
          threshold: 500_000_000,
          value: 507_000_000,
          observedAt: '2023-10-12T23:00:00+09:00',
          daysSinceRelease: 34,
          lastTrackId: null,
          record: null,
        },
        destinations: [],
        observedAtMs: Date.parse('2023-10-12T23:00:00+09:00'),
      },
    ]);
    await statusBurst(3);
    expect(drawn).toHaveLength(before + 1);
  });
});
