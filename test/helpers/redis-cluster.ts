import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../../src/cli/private-redis.js';

/** The ACL user every node of the test cluster knows; the default user is off, so only these credentials work. */
export const CLUSTER_USER = 'layover';
export const CLUSTER_PASSWORD = 'cluster-pass-for-tests';

/** The cluster bus of a node listens on its port + 10000. */
const BUS_OFFSET = 10_000;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` distinct free ports whose cluster-bus port (+10000) is free too and at most 65535. */
async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries += 1) {
    if (tries > 200) throw new Error('no free port pairs for a test cluster');
    const port = await freePort();
    if (port + BUS_OFFSET > 65_535 || ports.includes(port)) continue;
    if (await portIsFree(port + BUS_OFFSET)) ports.push(port);
  }
  return ports;
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

interface ClusterNode {
  readonly port: number;
  readonly dir: string;
  child: ChildProcess | undefined;
  exited: Promise<void>;
}

/**
 * A real Redis Cluster for one test file: three masters (no replicas) on free loopback ports, each with its own
 * temp directory and `nodes.conf`, no persistence, a 2 s node timeout, and ACL auth (user {@link CLUSTER_USER}).
 * Joined with `redis-cli --cluster create`; {@link start} returns once every node reports `cluster_state:ok`.
 * {@link stop} SIGKILLs every node and removes the directories.
 */
export class TestRedisCluster {
  private readonly killOnExit = () => this.killSync();

  private constructor(private readonly nodes: ClusterNode[]) {
    // Should the test process end without stop() (a timed-out hook, a killed worker), take the servers with it.
    process.once('exit', this.killOnExit);
  }

  /** Ports of the masters, in the order they were created (each owns a third of the slots). */
  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  /** REDIS_URL for one node, with the credentials. */
  nodeUrl(index: number): string {
    return `redis://${CLUSTER_USER}:${CLUSTER_PASSWORD}@127.0.0.1:${this.port(index)}`;
  }

  /** REDIS_URL naming every node as a seed, comma-separated. */
  get seedsUrl(): string {
    return this.nodes.map((_, i) => this.nodeUrl(i)).join(',');
  }

  /** A plain single-node connection to one node (for per-node checks and settings). */
  nodeClient(index: number): Redis {
    return new Redis({
      host: '127.0.0.1',
      port: this.port(index),
      username: CLUSTER_USER,
      password: CLUSTER_PASSWORD,
      maxRetriesPerRequest: 1,
    });
  }

  static async start(count = 3): Promise<TestRedisCluster> {
    const ports = await clusterPorts(count);
    const cluster = new TestRedisCluster(
      ports.map((port) => ({
        port,
        dir: mkdtempSync(join(tmpdir(), 'layover-cluster-')),
        child: undefined,
        exited: Promise.resolve(),
      })),
    );
    try {
      await Promise.all(cluster.nodes.map((node) => cluster.launch(node)));
      const created = await run('redis-cli', [
        '--user',
        CLUSTER_USER,
        '--pass',
        CLUSTER_PASSWORD,
        '--no-auth-warning',
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      if (created.code !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.output}`);
      await cluster.waitUntilOk();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  private port(index: number): number {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`no node ${index}`);
    return node.port;
  }

  private async launch(node: ClusterNode): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(node.port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(node.dir, 'nodes.conf'),
        '--cluster-node-timeout',
        '2000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        node.dir,
        '--user',
        'default',
        'off',
        '--user',
        CLUSTER_USER,
        'on',
        `>${CLUSTER_PASSWORD}`,
        '~*',
        '&*',
        '+@all',
      ],
      { stdio: 'ignore' },
    );
    node.child = child;
    node.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const client = new Redis({
      host: '127.0.0.1',
      port: node.port,
      username: CLUSTER_USER,
      password: CLUSTER_PASSWORD,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      for (let i = 0; i < 200; i += 1) {
        if (child.exitCode !== null) throw new Error(`redis-server on port ${node.port} exited`);
        try {
          if (client.status !== 'ready') await client.connect();
          if ((await client.ping()) === 'PONG') return;
        } catch {
          client.disconnect();
        }
        await sleep(25);
      }
      throw new Error(`redis-server on port ${node.port} did not answer`);
    } finally {
      client.disconnect();
    }
  }

  /** Resolves once every node says `cluster_state:ok` (within `timeoutMs`). */
  async waitUntilOk(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const clients = this.nodes.map((_, i) => this.nodeClient(i));
    for (const c of clients) c.on('error', () => undefined);
    try {
      for (;;) {
        const states = await Promise.all(
          clients.map((c) =>
            c.call('CLUSTER', 'INFO').then(
              (info) => /cluster_state:(\w+)/.exec(String(info))?.[1] ?? 'unknown',
              () => 'unreachable',
            ),
          ),
        );
        if (states.every((s) => s === 'ok')) return;
        if (Date.now() > deadline) throw new Error(`cluster not ok: ${states.join(', ')}`);
        await sleep(50);
      }
    } finally {
      for (const c of clients) c.disconnect();
    }
  }

  /** SIGKILLs one node (it keeps its nodes.conf, so {@link restartNode} brings it back with its slots). */
  async killNode(index: number): Promise<void> {
    const node = this.nodes[index];
    node?.child?.kill('SIGKILL');
    await node?.exited;
  }

  async restartNode(index: number): Promise<void> {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`no node ${index}`);
    await this.launch(node);
  }

  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    for (const node of this.nodes) node.child?.kill('SIGKILL');
    await Promise.all(this.nodes.map((n) => n.exited));
    for (const node of this.nodes) rmSync(node.dir, { recursive: true, force: true });
  }

  private killSync(): void {
    for (const node of this.nodes) {
      node.child?.kill('SIGKILL');
      rmSync(node.dir, { recursive: true, force: true });
    }
  }
}
