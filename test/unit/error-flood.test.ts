import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { backOffOnErrorBursts, ErrorAggregator } from '../../src/ops/error-flood.js';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('ErrorAggregator', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs the first error of a kind at once and the repeats as one line with a count per interval', async () => {
    const { logger, lines } = capturingLogger();
    const errors = new ErrorAggregator(logger, { intervalMs: 30_000 });
    for (let i = 0; i < 10_000; i += 1) {
      errors.report(
        'worker error',
        new Error(`OOM command not allowed when used memory > 'maxmemory' (${i})`),
      );
    }
    errors.report('worker error', new Error('READONLY You cannot write against a read only replica.'));
    await vi.advanceTimersByTimeAsync(0);
    expect(lines.map((l) => l.msg)).toEqual(['worker error', 'worker error']);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ msg: 'worker error (repeated 9999 more times)', repeated: 9999 });
    // A quiet interval logs nothing; the next error is logged at once again.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lines).toHaveLength(3);
    errors.report('worker error', new Error('OOM again'));
    expect(lines).toHaveLength(4);
    errors.close();
  });
});

class FakeWorker extends EventEmitter {
  paused = false;
  pauses = 0;
  pause(): Promise<void> {
    this.paused = true;
    this.pauses += 1;
    return Promise.resolve();
  }
  resume(): void {
    this.paused = false;
  }
  isRunning(): boolean {
    return true;
  }
}

describe('backOffOnErrorBursts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pauses a worker whose errors come in bursts, doubling the pause, and resumes it', async () => {
    const worker = new FakeWorker();
    const pauses: number[] = [];
    const stop = backOffOnErrorBursts(worker, {
      burst: 5,
      windowMs: 1000,
      firstPauseMs: 1000,
      maxPauseMs: 4000,
      onPause: (ms) => pauses.push(ms),
    });
    // Errors spread out are no burst.
    for (let i = 0; i < 10; i += 1) {
      worker.emit('error', new Error('x'));
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(worker.pauses).toBe(0);
    for (let round = 0; round < 4; round += 1) {
      for (let i = 0; i < 5; i += 1) worker.emit('error', new Error('x'));
      expect(worker.paused).toBe(true);
      await vi.advanceTimersByTimeAsync(pauses.at(-1) ?? 0);
      expect(worker.paused).toBe(false);
    }
    expect(pauses).toEqual([1000, 2000, 4000, 4000]);
    stop();
  });
});
