import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Where the gateway registers the interactions it sends (the REST emulator's `interactions`). */
export interface InteractionRegistry {
  register(interaction: { readonly id: unknown; readonly token: unknown; readonly type: unknown }): void;
}

/**
 * A loopback stand-in for Discord's gateway, enough for one discord.js shard: HELLO, heartbeat ACKs, READY after
 * IDENTIFY, and dispatches the test sends. Pair it with {@link import('./discord-emulator.js').DiscordEmulator},
 * whose GET /gateway/bot must return {@link DiscordGatewayEmulator.url}.
 */
export class DiscordGatewayEmulator {
  /** Payloads the client sent (IDENTIFY, heartbeats …). */
  readonly received: { op: number; d: unknown }[] = [];
  private socket: WebSocket | undefined;
  private sequence = 0;
  private readyResolve: () => void = () => undefined;
  /** Resolves once READY was sent to an identified client. */
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
      this.socket = socket;
      socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null }));
      socket.on('message', (raw: Buffer) => {
        const payload = JSON.parse(raw.toString('utf8')) as { op: number; d: unknown };
        this.received.push(payload);
        if (payload.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        if (payload.op === 2) {
          this.dispatch('READY', {
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
            session_id: 'session-1',
            resume_gateway_url: this.url,
            shard: [0, 1],
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

  /** Sends a dispatch event (op 0) to the connected client. */
  dispatch(event: string, data: unknown): void {
    if (event === 'INTERACTION_CREATE') {
      this.interactions?.register(data as { id: unknown; token: unknown; type: unknown });
    }
    this.sequence += 1;
    this.socket?.send(JSON.stringify({ op: 0, d: data, s: this.sequence, t: event }));
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
