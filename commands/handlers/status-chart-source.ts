import type { ChartCache } from '../../src/cards/chart-cache.js';
import type { RenderedChart, StatusChartDrawer } from '../../src/cards/status-chart.js';
import type { Language } from '../../src/posts/types.js';
import type { MilestoneStore } from '../../src/state/milestone.store.js';
import type { StreamHistoryStore } from '../../src/state/stream-history.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';

/** Milestones read for the status chart's markers (the chart keeps those of the album and its tracks). */
const CHART_MILESTONES = 200;

/**
 * The `/layover status` chart of an album, given the artist state's version the caller read (its
 * `ArtistStateView.version`): the history and milestones as they are now, drawn.
 */
export type StatusChartSource = (
  tracking: Tracking,
  albumId: string,
  stateVersion: string,
  language: Language,
) => Promise<RenderedChart>;

export interface StatusChartSourceOptions {
  readonly history: StreamHistoryStore;
  readonly milestones: MilestoneStore;
  /** `renderStatusChart` on the calling thread, or a chart pool's `draw`. */
  readonly draw: StatusChartDrawer;
  /**
   * Charts by data version: concurrent requests for the same data share one load and one drawing. Null: every
   * request loads and draws its own chart.
   */
  readonly cache: ChartCache | null;
}

/**
 * Builds the {@link StatusChartSource} the `/layover status` handler uses. The data version of a chart is the
 * artist state's version (it changes in the same commit as the stream history) with the number of the artist's
 * milestones (recorded just after that commit, and drawn as markers).
 */
export function statusChartSource(options: StatusChartSourceOptions): StatusChartSource {
  const { history, milestones, draw, cache } = options;
  return async (tracking, albumId, stateVersion, language) => {
    const artistId = tracking.artist.id;
    const load = async () => {
      const [series, recent] = await Promise.all([
        history.series(artistId),
        milestones.recent(artistId, CHART_MILESTONES),
      ]);
      return draw(series, recent, tracking, { language, albumId });
    };
    if (cache === null) return load();
    const version = `${stateVersion}|${await milestones.count(artistId)}`;
    return cache.get(JSON.stringify([artistId, albumId, language]), version, load);
  };
}
