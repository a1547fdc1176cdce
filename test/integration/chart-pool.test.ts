import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChartPool, ChartPoolClosedError } from '../../src/cards/chart-pool.js';
import { renderStatusChart } from '../../src/cards/status-chart.js';
import { sampleHistory, sampleMilestones } from '../../src/preview/sample-milestones.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const album = tracking.albums[0]!;
const milestones = sampleMilestones(tracking);
const history = sampleHistory(tracking, album, milestones);
const faultyWorker = new URL('../helpers/faulty-chart-worker.ts', import.meta.url);

/** Runs `args` with node from the repository root; resolves with its exit code and output once it ends by itself. */
function runNode(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

describe('chart pool', () => {
  const pools: ChartPool[] = [];
  const cleanups: (() => void)[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.close();
    for (const cleanup of cleanups) cleanup();
  });
  const open = (options: ConstructorParameters<typeof ChartPool>[0] = {}) => {
    const pool = new ChartPool(options);
    pools.push(pool);
    return pool;
  };

  /** One worker for the plain drawing tests (starting one costs about a second on a busy machine). */
  const shared = open({ size: 1 });

  it('draws in a worker thread the same PNG and alt text as renderStatusChart on this thread', async () => {
    const pool = shared;
    const [inWorker, here] = await Promise.all([
      pool.draw(history, milestones, tracking, { albumId: album.id }),
      renderStatusChart(history, milestones, tracking, { albumId: album.id }),
    ]);
    expect(Buffer.isBuffer(inWorker.png)).toBe(true);
    expect(inWorker.png.equals(here.png)).toBe(true);
    expect(inWorker).toEqual(here);
    expect(pool.workersStarted).toBe(1);
  });

  it('draws queued charts in turn with one worker, and passes a drawing error back as it was thrown', async () => {
    const pool = shared;
    const results = await Promise.allSettled([
      pool.draw(history, milestones, tracking),
      pool.draw(history, [], tracking, { albumId: 'no-such-album' }),
      pool.draw([], [], tracking),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('unknown album "no-such-album"');
    expect(pool.workersStarted).toBe(1);
  });

  it('fails only the chart a crashed worker was drawing, and replaces the worker for the next ones', async () => {
    const pool = open({ size: 1, workerUrl: faultyWorker });
    const crashed = pool.draw(history, [], tracking, { albumId: 'crash-the-worker' });
    const queued = pool.draw(history, milestones, tracking);
    await expect(crashed).rejects.toThrow('the chart worker stopped (exit code 70) while drawing');
    const after = await queued;
    expect(after.png.equals((await renderStatusChart(history, milestones, tracking)).png)).toBe(true);
    expect(pool.workersStarted).toBe(2);
    // And the replacement keeps working.
    await expect(pool.draw([], [], tracking)).resolves.toMatchObject({ width: 1200, height: 630 });
    expect(pool.workersStarted).toBe(2);
  });

  it('on close, fails the chart under way and the queued ones, stops its workers and refuses new charts', async () => {
    const pool = open({ size: 1, workerUrl: faultyWorker });
    pool.start();
    const outcomes = Promise.allSettled([
      pool.draw(history, [], tracking, { albumId: 'never-finish' }),
      pool.draw(history, [], tracking),
    ]);
    await pool.close();
    const [underWay, queued] = await outcomes;
    expect(underWay).toEqual({ status: 'rejected', reason: expect.any(ChartPoolClosedError) as unknown });
    expect(queued).toEqual({ status: 'rejected', reason: expect.any(ChartPoolClosedError) as unknown });
    await expect(pool.draw([], [], tracking)).rejects.toThrow('the chart pool is closed');
    expect(pool.workersStarted).toBe(1);
  });

  it('runs from the TypeScript sources under tsx, and its idle worker lets the process end', async () => {
    const run = await runNode(['--import', 'tsx', 'test/helpers/chart-pool-child.ts']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ same: true, workersStarted: 1 });
  }, 60_000);

  it('runs from built JavaScript with plain node: the worker module is the built chart-worker.js', async () => {
    const { build } = await import('esbuild');
    const out = mkdtempSync(join(tmpdir(), 'layover-built-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const sources = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join('src', file));
    // File by file, as tsc would emit: the same layout, `.js` next to `.js`.
    await build({
      entryPoints: [...sources, 'test/helpers/chart-pool-child.ts'],
      outdir: out,
      outbase: '.',
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
    });
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(resolve('node_modules'), join(out, 'node_modules'));
    const run = await runNode([join(out, 'test/helpers/chart-pool-child.js')]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ same: true, workersStarted: 1 });
  }, 60_000);
});
