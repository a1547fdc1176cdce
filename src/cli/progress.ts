import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * Progress for long work, on standard error: a bar on an interactive terminal, otherwise a line at every
 * quarter, so that logs and CI output stay readable.
 */
export function createProgress(label: string, total: number, interactive: boolean): Progress {
  if (interactive) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let nextQuarter = 1;
  return {
    update: (done) => {
      let crossed = false;
      while (total > 0 && nextQuarter <= 4 && done >= (total * nextQuarter) / 4) {
        crossed = true;
        nextQuarter += 1;
      }
      if (crossed) process.stderr.write(`${label}: ${done}/${total}\n`);
    },
    stop: () => undefined,
  };
}
