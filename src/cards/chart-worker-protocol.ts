import { parentPort, workerData } from 'node:worker_threads';
import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { registerCardFonts } from './fonts.js';
import type { RenderedChart, StatusChartDrawer, StatusChartOptions, StreamSeries } from './status-chart.js';

/** What a chart worker thread is started with. */
export interface ChartWorkerData {
  /** Font files or folders to register first (`CARD_FONTS`): the worker must draw with the same fonts. */
  readonly fontPaths: readonly string[];
  /** Set only when the worker starts through the tsx bootstrap: the TypeScript module it imports. */
  readonly entry?: string;
}

/** Main thread -> worker: one chart to draw (every field goes by structured clone). */
export interface ChartDrawRequest {
  readonly id: number;
  readonly series: StreamSeries;
  readonly milestones: readonly Milestone[];
  readonly tracking: Tracking;
  readonly options: StatusChartOptions;
}

/** Worker -> main thread: the chart, or why it could not be drawn. */
export type ChartDrawReply =
  | { readonly id: number; readonly chart: RenderedChart }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

/**
 * The body of a chart worker thread: registers the fonts it was started with, then answers each
 * {@link ChartDrawRequest} with `draw`'s chart (or its error), one at a time, in order. Throws outside a worker.
 */
export function serveChartDraws(draw: StatusChartDrawer): void {
  const port = parentPort;
  if (port === null) throw new Error('serveChartDraws runs inside a worker thread (see chart-pool.ts)');
  const data = (workerData ?? { fontPaths: [] }) as ChartWorkerData;
  if (data.fontPaths.length > 0) registerCardFonts(data.fontPaths);
  let queue = Promise.resolve();
  port.on('message', (request: ChartDrawRequest) => {
    queue = queue.then(async () => {
      let reply: ChartDrawReply;
      try {
        const chart = await draw(request.series, request.milestones, request.tracking, request.options);
        reply = { id: request.id, chart };
      } catch (error) {
        reply = {
          id: request.id,
          error:
            error instanceof Error
              ? { name: error.name, message: error.message }
              : { name: 'Error', message: String(error) },
        };
      }
      port.postMessage(reply);
    });
  });
}
