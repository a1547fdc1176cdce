/**
 * A chart worker for the pool's tests: it draws like the real one, except for two album ids. `crash-the-worker`
 * ends the worker thread (exit code 70) mid-drawing, as a native crash or an out-of-memory would; `never-finish`
 * never answers (a drawing still under way when the pool closes).
 */
import { serveChartDraws } from '../../src/cards/chart-worker-protocol.js';
import type { RenderedChart } from '../../src/cards/status-chart.js';
import { renderStatusChart } from '../../src/cards/status-chart.js';

serveChartDraws((series, milestones, tracking, options) => {
  if (options?.albumId === 'crash-the-worker') process.exit(70);
  if (options?.albumId === 'never-finish') return new Promise<RenderedChart>(() => undefined);
  return renderStatusChart(series, milestones, tracking, options);
});
