import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpLimits } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { until } from '../helpers/until.js';

/** Short limits so that the tests take seconds; production uses defaultHttpLimits. */
const limits: Partial<HttpLimits> = {
  requestTimeoutMs: 1000,
  headersTimeoutMs: 800,
  keepAliveTimeoutMs: 500,
  idleTimeoutMs: 3000,
  checkIntervalMs: 100,
  maxConnections: 5,
};

/** A raw client socket that records what it receives and when it is closed. */
interface RawClient {
  readonly socket: Socket;
  received(): string;
  closed(): boolean;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    let data = '';
    let closed = false;
    const socket = connect(port, '127.0.0.1', () =>
      resolve({ socket, received: () => data, closed: () => closed }),
    );
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
    });
    socket.on('close', () => {
      closed = true;
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** Writes one byte of `text` every `everyMs` while the socket is open (a slow-loris client). */
function trickle(client: RawClient, text: string, everyMs = 50): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (client.closed() || i >= text.length) return;
    client.socket.write(text[i] ?? '');
    i += 1;
  }, everyMs);
  return () => clearInterval(timer);
}

describe('HTTP server limits against clients that trickle', () => {
  let app: FastifyInstance | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await app?.close();
    app = undefined;
  });

  async function listen(): Promise<number> {
    app = await createHttpServer({
      logger: createLogger('silent'),
      limits,
      routes: [
        (a) => {
          a.post('/protected', async (request, reply) => {
            if (request.headers.authorization !== 'Bearer right')
              return reply.code(401).send({ error: 'no' });
            return reply.send({ ok: true });
          });
          a.addHook('onRequest', async (request, reply) => {
            if (request.url === '/early-401') await reply.code(401).send({ error: 'no' });
          });
          a.post('/early-401', () => ({ ok: true }));
          a.get('/ping', () => ({ pong: true }));
        },
      ],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  it('closes a connection whose body trickles in, past the request timeout, even after an early 401', async () => {
    const port = await listen();
    const client = await rawClient(port);
    clients.push(client);
    client.socket.write(
      'POST /early-401 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
    );
    const stop = trickle(client, '{"a":"'.padEnd(100_000, 'x'));
    await until('the server to close the trickling socket', () => client.closed(), { timeoutMs: 10_000 });
    stop();
    expect(client.received()).toMatch(/^HTTP\/1\.1 401/);
  });

  it('answers 408 and closes when the body does not arrive within the request timeout', async () => {
    const port = await listen();
    const client = await rawClient(port);
    clients.push(client);
    client.socket.write(
      'POST /protected HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
    );
    const stop = trickle(client, '{"a":"'.padEnd(100_000, 'x'));
    await until('the server to close the trickling socket', () => client.closed(), { timeoutMs: 10_000 });
    stop();
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose headers trickle in (slow loris)', async () => {
    const port = await listen();
    const client = await rawClient(port);
    clients.push(client);
    const stop = trickle(client, `GET /ping HTTP/1.1\r\nHost: x\r\n${'X-Slow: y\r\n'.repeat(1000)}\r\n`);
    await until('the server to close the socket', () => client.closed(), { timeoutMs: 10_000 });
    stop();
    expect(client.received()).not.toContain('"pong"');
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const port = await listen();
    const client = await rawClient(port);
    clients.push(client);
    client.socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await until('the answer', () => client.received().includes('"pong":true'));
    expect(client.received()).toMatch(/connection: keep-alive/i);
    await until('the server to close the idle socket', () => client.closed(), { timeoutMs: 10_000 });
  });

  it('refuses connections beyond the cap and serves again once they are gone', async () => {
    const port = await listen();
    for (let i = 0; i < 5; i += 1) clients.push(await rawClient(port));
    // The server counts a connection once it has accepted it.
    await until('five connections held', async () => {
      const count = await new Promise<number>((resolve) => app?.server.getConnections((_e, n) => resolve(n)));
      return count === 5;
    });
    const extra = await rawClient(port);
    clients.push(extra);
    extra.socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await until('the extra connection to be closed', () => extra.closed(), { timeoutMs: 5000 });
    expect(extra.received()).toBe('');
    for (const c of clients.splice(0)) c.socket.destroy();
    await until('a new connection to be served', async () => {
      const next = await rawClient(port);
      clients.push(next);
      next.socket.write('GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await until('an answer or a close', () => next.closed() || next.received().includes('pong'));
      return next.received().includes('"pong":true');
    });
  });
});
