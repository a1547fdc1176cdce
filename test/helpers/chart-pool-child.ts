/**
 * Run as its own process by the chart pool's tests, from the TypeScript sources (under tsx) or from built
 * JavaScript (plain node): draws the sample status chart of config/layover.json through a ChartPool and on this
 * thread, prints `{ same, workersStarted }` as one JSON line, and leaves the pool open: an idle worker must not
 * keep the process alive.
 */
import { ChartPool } from '../../src/cards/chart-pool.js';
import { renderStatusChart } from '../../src/cards/status-chart.js';
import { sampleHistory, sampleMilestones } from '../../src/preview/sample-milestones.js';
import { loadTrackings } from '../../src/tracking/load-tracking.js';

const [tracking] = loadTrackings(['config/layover.json']);
const album = tracking?.albums[0];
if (tracking === undefined || album === undefined) throw new Error('config/layover.json has no album');
const milestones = sampleMilestones(tracking);
const history = sampleHistory(tracking, album, milestones);
const pool = new ChartPool();
const inWorker = await pool.draw(history, milestones, tracking);
const here = await renderStatusChart(history, milestones, tracking);
process.stdout.write(
  `${JSON.stringify({ same: inWorker.png.equals(here.png) && inWorker.altText === here.altText, workersStarted: pool.workersStarted })}\n`,
);
