import { Worker } from 'node:worker_threads';
import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';
import type { ChartDrawReply, ChartDrawRequest, ChartWorkerData } from './chart-worker-protocol.js';
import type { RenderedChart, StatusChartDrawer, StatusChartOptions, StreamSeries } from './status-chart.js';

/** Raised for a chart that a closed pool will not draw (asked after `close`, or still queued when it came). */
export class ChartPoolClosedError extends Error {
  constructor() {
    super('the chart pool is closed');
    this.name = 'ChartPoolClosedError';
  }
}

export interface ChartPoolOptions {
  /** Worker threads (`CHART_WORKERS`); default 1. Each draws one chart at a time; further charts wait in turn. */
  readonly size?: number;
  /** Font files or folders every worker registers first (`CARD_FONTS`). */
  readonly fontPaths?: readonly string[];
  /**
   * The worker module; default `chart-worker` beside this file, with this file's extension: `.ts` when the bot
   * runs from its sources under tsx, `.js` when it runs built JavaScript. A `.ts` module is started through
   * `ts-worker-entry.js`, which registers tsx's loader in the worker thread. Tests point it at their own worker.
   */
  readonly workerUrl?: URL;
}

interface Task {
  readonly request: Omit<ChartDrawRequest, 'id'>;
  resolve(chart: RenderedChart): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  /** The task being drawn and its id, or null when the worker is idle. */
  busy: { readonly id: number; readonly task: Task } | null;
}

const sourceExtension = /\.ts$/.exec(new URL(import.meta.url).pathname) === null ? '.js' : '.ts';

/** Rebuilds an error a worker reported (its name and message; the stack stayed in the worker). */
function reportedError(error: { readonly name: string; readonly message: string }): Error {
  const rebuilt = error.name === 'RangeError' ? new RangeError(error.message) : new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

/**
 * A fixed number of worker threads that draw `/layover status` charts, so that drawing (Skia calls on the
 * calling thread) never holds up the main thread, where interactions must get their first answer within three
 * seconds. Workers start on the first chart (or {@link ChartPool.start}); charts beyond the free workers wait in a
 * queue, first in first out. A worker that dies (a crash, an out-of-memory) fails only the chart it was drawing
 * and is replaced for the next. An idle worker does not keep the process alive; {@link ChartPool.close} stops them.
 */
export class ChartPool {
  private readonly size: number;
  private readonly fontPaths: readonly string[];
  private readonly workerUrl: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private started = 0;

  constructor(options: ChartPoolOptions = {}) {
    const size = options.size ?? 1;
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`chart pool size must be 1 or more, not ${size}`);
    this.size = size;
    this.fontPaths = options.fontPaths ?? [];
    this.workerUrl = options.workerUrl ?? new URL(`./chart-worker${sourceExtension}`, import.meta.url);
  }

  /** {@link renderStatusChart}'s signature, drawn in a worker: the same PNG and alt text. */
  readonly draw: StatusChartDrawer = (series, milestones, tracking, options = {}) =>
    this.submit(series, milestones, tracking, options);

  /** Worker threads started so far, replacements included. */
  get workersStarted(): number {
    return this.started;
  }

  /** Starts every worker now rather than on the first chart (so that the first `/layover status` waits for none). */
  start(): void {
    if (this.closed) throw new ChartPoolClosedError();
    while (this.slots.length < this.size) this.spawn();
  }

  /**
   * Stops the pool: charts still queued, and the ones being drawn, fail with {@link ChartPoolClosedError}; every
   * worker is terminated. Resolves once all have exited. Further `draw` calls fail at once.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new ChartPoolClosedError());
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.busy?.task.reject(new ChartPoolClosedError());
      slot.busy = null;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private submit(
    series: StreamSeries,
    milestones: readonly Milestone[],
    tracking: Tracking,
    options: StatusChartOptions,
  ): Promise<RenderedChart> {
    if (this.closed) return Promise.reject(new ChartPoolClosedError());
    return new Promise<RenderedChart>((resolve, reject) => {
      this.queue.push({ request: { series, milestones, tracking, options }, resolve, reject });
      this.dispatch();
    });
  }

  /** Hands queued charts to idle workers, starting workers up to the pool's size. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot =
        this.slots.find((s) => s.busy === null) ?? (this.slots.length < this.size ? this.spawn() : null);
      if (slot === null) return;
      const task = this.queue.shift();
      if (task === undefined) return;
      const id = this.nextId++;
      slot.busy = { id, task };
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id, ...task.request } satisfies ChartDrawRequest);
      } catch (error) {
        // Something in the request cannot be cloned: that chart fails, the worker stays.
        slot.busy = null;
        slot.worker.unref();
        task.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private spawn(): Slot {
    const data: ChartWorkerData = { fontPaths: [...this.fontPaths] };
    const fromSource = this.workerUrl.pathname.endsWith('.ts');
    const worker = fromSource
      ? new Worker(new URL('./ts-worker-entry.js', import.meta.url), {
          workerData: { ...data, entry: this.workerUrl.href } satisfies ChartWorkerData,
        })
      : new Worker(this.workerUrl, { workerData: data });
    this.started += 1;
    const slot: Slot = { worker, busy: null };
    this.slots.push(slot);
    worker.unref();
    let failure: Error | null = null;
    worker.on('message', (reply: ChartDrawReply) => {
      const busy = slot.busy;
      if (busy === null || busy.id !== reply.id) return;
      slot.busy = null;
      worker.unref();
      if ('error' in reply) busy.task.reject(reportedError(reply.error));
      else {
        const png = reply.chart.png as Uint8Array;
        busy.task.resolve({ ...reply.chart, png: Buffer.from(png.buffer, png.byteOffset, png.byteLength) });
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('messageerror', (error) => {
      // A reply that could not be read: the chart it answered fails, the worker stays.
      const busy = slot.busy;
      slot.busy = null;
      worker.unref();
      busy?.task.reject(new Error(`a chart worker's reply could not be read: ${error.message}`));
      this.dispatch();
    });
    worker.on('exit', (code) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return; // closed: its chart was already failed
      this.slots.splice(index, 1);
      const busy = slot.busy;
      slot.busy = null;
      busy?.task.reject(
        new Error(
          `the chart worker stopped (exit code ${code}) while drawing${failure === null ? '' : `: ${failure.message}`}`,
        ),
      );
      if (!this.closed) this.dispatch();
    });
    return slot;
  }
}
