import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Where the gateway registers the interactions it sends (the REST emulator's `interactions`). */
export interface InteractionRegistry {
  register(interaction: {
    readonly id: unknown;
    readonly token: unknown;
    readonly type: unknown;
    readonly message?: unknown;
  }): void;
}

/** One identified connection: the shard it asked for (`[id, count]`) and its socket. */
export interface IdentifiedShard {
  readonly shard: readonly [number, number];
  readonly socket: WebSocket;
}

/**
 * A loopback stand-in for Discord's gateway: HELLO, heartbeat ACKs, READY after IDENTIFY (echoing the shard the
 * client asked for), and dispatches the test sends. Each connection is one shard; several clients, or one client
 * with several shards, may connect. Pair it with {@link import('./discord-emulator.js').DiscordEmulator}, whose
 * GET /gateway/bot must return {@link DiscordGatewayEmulator.url}.
 */
export class DiscordGatewayEmulator {
  /** Payloads the clients sent (IDENTIFY, heartbeats …). */
  readonly received: { op: number; d: unknown }[] = [];
  /** Connections that identified, in order. */
  readonly identified: IdentifiedShard[] = [];
  private sequence = 0;
  private readyResolve: () => void = () => undefined;
  /** Resolves once READY was sent to the first identified connection. */
  readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });

  private constructor(
    private readonly server: WebSocketServer,
    private readonly botUserId: string,
    private readonly applicationId: string,
    private readonly interactions: InteractionRegistry | undefined,
  ) {
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null }));
      socket.on('message', (raw: Buffer) => {
        const payload = JSON.parse(raw.toString('utf8')) as { op: number; d: unknown };
        this.received.push(payload);
        if (payload.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        if (payload.op === 2) {
          const asked = (payload.d as { shard?: unknown } | null)?.shard;
          const shard: [number, number] =
            Array.isArray(asked) && asked.length === 2 ? [Number(asked[0]), Number(asked[1])] : [0, 1];
          this.identified.push({ shard, socket });
          this.send(socket, 'READY', {
            v: 10,
            user: {
              id: this.botUserId,
              username: 'layover',
              discriminator: '0',
              global_name: null,
              avatar: null,
              bot: true,
            },
            guilds: [],
            session_id: `session-${this.identified.length}`,
            resume_gateway_url: this.url,
            shard,
            application: { id: this.applicationId, flags: 0 },
          });
          this.readyResolve();
        }
      });
    });
  }

  static async start(options: {
    botUserId: string;
    applicationId: string;
    /** The REST emulator's interaction record: INTERACTION_CREATE registers there first, as Discord does. */
    interactions?: InteractionRegistry;
  }): Promise<DiscordGatewayEmulator> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new DiscordGatewayEmulator(server, options.botUserId, options.applicationId, options.interactions);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Sends a dispatch event (op 0): to every connection identified as shard `shardId`, or without it to every
   * identified connection. An INTERACTION_CREATE is registered with Discord's record once, however many receive it.
   */
  dispatch(event: string, data: unknown, shardId?: number): void {
    if (event === 'INTERACTION_CREATE') {
      this.interactions?.register(data as { id: unknown; token: unknown; type: unknown });
    }
    for (const connection of this.identified) {
      if (connection.socket.readyState !== connection.socket.OPEN) continue;
      if (shardId === undefined || connection.shard[0] === shardId) this.send(connection.socket, event, data);
    }
  }

  private send(socket: WebSocket, event: string, data: unknown): void {
    this.sequence += 1;
    socket.send(JSON.stringify({ op: 0, d: data, s: this.sequence, t: event }));
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
