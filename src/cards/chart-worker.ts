/**
 * A chart worker thread (started by chart-pool.ts): draws `/layover status` charts with the same
 * `renderStatusChart` the main thread would use, so that drawing never holds up the main thread's event loop.
 */
import { serveChartDraws } from './chart-worker-protocol.js';
import { renderStatusChart } from './status-chart.js';

serveChartDraws(renderStatusChart);
