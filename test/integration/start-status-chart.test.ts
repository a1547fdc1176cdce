import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import {
  chatInputInteraction,
  interactionKeyPair,
  signedHeaders,
} from '../../emulators/discord-interactions.js';
import { seedSnapshots } from '../helpers/interactions-app.js';
import { pngSize } from '../helpers/png.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { startProcess } from '../helpers/start-process.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));

describe('npx layover-bot start, answering /layover status', () => {
  const prefix = uniquePrefix('start-chart');
  const redis = testRedis();
  afterAll(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('draws the chart in its chart worker (started through the bin, under tsx) and stops it on SIGTERM', async () => {
    await seedSnapshots(
      redis,
      prefix,
      tracking,
      [80e6, 81e6].map((base, d) => ({
        capturedAt: `2023-10-1${d}T23:00:00+09:00`,
        tracks: Object.fromEntries(trackIds.map((id, i) => [id, base + i * 1e6])),
      })),
    );
    const emulator = await DiscordEmulator.start();
    const keys = interactionKeyPair();
    const run = startProcess(
      {
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ROLES: 'http',
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        DISCORD_API_URL: emulator.api,
        CHART_WORKERS: '1',
        SHUTDOWN_TIMEOUT_MS: '3000',
        LOG_LEVEL: 'info',
      },
      { viaBin: true },
    );
    try {
      const ready = JSON.parse(await run.line('"msg":"ready: waiting for snapshots"')) as {
        httpPort: number;
      };
      const interaction = chatInputInteraction({ command: 'layover', subcommand: 'status' });
      emulator.interactions.register(interaction as { id: unknown; token: unknown; type: unknown });
      // Discord learns of the deferral before the bot's edit can arrive (the body is checked below).
      const deferral = { type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} };
      expect(emulator.interactions.respond(String(interaction.token), null, deferral).status).toBe(204);
      const body = JSON.stringify(interaction);
      const res = await fetch(`http://127.0.0.1:${ready.httpPort}/interactions`, {
        method: 'POST',
        body,
        headers: signedHeaders(keys.privateKey, body),
      });
      expect(await res.json()).toEqual(deferral);
      const edit = await until('the status edit', () =>
        emulator.interactionReplies.find(
          (r) => r.method === 'PATCH' && r.path.includes(String(interaction.token)),
        ),
      );
      const [file] = edit.files;
      expect(file?.filename).toBe('status.png');
      expect(pngSize(file!.data)).toEqual({ width: 1200, height: 630 });
      expect(run.stderr()).not.toContain('status chart could not be drawn');
      expect(run.stderr()).toContain('"chartWorkers":1,"msg":"status charts are drawn in worker threads"');

      const signalledAt = Date.now();
      run.child.kill('SIGTERM');
      const exit = await run.exited;
      expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
      expect(run.stderr()).toContain('"msg":"stopped"');
      expect(Date.now() - signalledAt).toBeLessThan(3000 + 2000);
    } finally {
      run.child.kill('SIGKILL');
      await emulator.close();
    }
  }, 120_000);
});
