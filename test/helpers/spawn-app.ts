import { spawn, type ChildProcess } from 'node:child_process';

export interface AppChild {
  readonly child: ChildProcess;
  readonly httpPort: number | null;
  /** Resolves with the exit code (or the signal) when the child ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stdout: () => string;
}

/** Starts test/helpers/app-process.ts with the given settings and waits for its `ready` line. */
export function spawnApp(settings: Record<string, string>, publishDelayMs = 0): Promise<AppChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/app-process.ts', JSON.stringify(settings), String(publishDelayMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    void exited.then(({ code }) =>
      reject(new Error(`app process exited before it was ready (${code}): ${out}`)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+|-)/.exec(out);
      if (match) {
        resolve({
          child,
          httpPort: match[1] === '-' || match[1] === undefined ? null : Number(match[1]),
          exited,
          stdout: () => out,
        });
      }
    });
  });
}
