import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/cli/private-redis.js';
import { redisAnswers } from '../../src/redis.js';

export { freePort };

/**
 * A private redis-server for one test, on its own free port and temp directory (its AOF lives there). Settings
 * are redis-server command-line options, e.g. `['--maxmemory-policy', 'allkeys-lru']`.
 */
export class TestRedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: readonly string[],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** `baseDir` holds the server's temp directory; a tmpfs (/dev/shm) makes `appendfsync always` cheap. */
  static async start(options: readonly string[], baseDir = tmpdir()): Promise<TestRedisServer> {
    const server = new TestRedisServer(
      await freePort(),
      mkdtempSync(join(baseDir, 'layover-redis-')),
      options,
    );
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', ...this.options],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (let i = 0; i < 200; i += 1) {
      if (await redisAnswers(this.url, 200)) return;
      await sleep(25);
    }
    throw new Error(`redis-server on port ${this.port} did not answer`);
  }

  /** Kills the server without letting it save (SIGKILL), then starts it again on the same port and directory. */
  async restart(downMs = 0): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    if (downMs > 0) await sleep(downMs);
    await this.launch();
  }

  /** Kills the server (SIGKILL) and leaves it down until {@link TestRedisServer.relaunch}. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Starts the server again on the same port and directory, after {@link TestRedisServer.kill}. */
  async relaunch(): Promise<void> {
    await this.launch();
  }

  async stop(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
