import { spawn, type ChildProcess } from 'node:child_process';
import { until } from './until.js';

export interface StartedProcess {
  readonly child: ChildProcess;
  /** Everything written to standard error so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves with the first standard-error line that `test` accepts (throws after `timeoutMs`). */
  line(test: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `npm start`'s command (`tsx src/cli.ts start`) with only `env` and PATH, capturing its output. With
 * `viaNpm`, runs `npm start` itself in a new process group (as a shell or systemd would), so that a signal can go
 * to npm and the bot at once: `process.kill(-child.pid, 'SIGTERM')`. With `viaBin`, runs the package bin
 * (`node bin/layover-bot.js`, which registers tsx itself rather than through `--import`).
 */
export function startProcess(
  env: Record<string, string>,
  options: { readonly viaNpm?: boolean; readonly viaBin?: boolean; readonly args?: readonly string[] } = {},
): StartedProcess {
  const child =
    options.viaBin === true
      ? spawn(process.execPath, ['bin/layover-bot.js', ...(options.args ?? ['start'])], {
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : options.viaNpm === true
        ? spawn('npm', ['start', '--silent'], {
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true,
          })
        : spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...(options.args ?? ['start'])], {
            env: { PATH: process.env.PATH ?? '', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
  let err = '';
  let out = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  // 'close', not 'exit': it comes once every process writing to the pipes is gone. Under npm, npm itself may exit
  // on a signal while the bot it started is still draining and writing its last lines.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const matches = (line: string, test: RegExp | string) =>
    typeof test === 'string' ? line.includes(test) : test.test(line);
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    line: (test, timeoutMs = 60_000) =>
      until(
        `a line matching ${String(test)}`,
        () => {
          const found = err.split('\n').find((l) => matches(l, test));
          if (found === undefined && ended) throw new Error(`process ended without that line:\n${err}`);
          return found;
        },
        { timeoutMs },
      ),
  };
}
