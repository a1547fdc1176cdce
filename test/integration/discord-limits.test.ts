import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonInteraction } from '../helpers/discord-component-interactions.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import {
  postInteraction,
  seedSnapshots,
  startInteractionsApp,
  waitFor,
  type InteractionsApp,
} from '../helpers/interactions-app.js';
import { layoverConfig, trackingFrom } from '../helpers/posts-fixtures.js';
import { uniquePrefix } from '../helpers/redis.js';

const keys = interactionKeyPair();
/** A 35-song album with long English and Korean titles: its status does not fit one embed. */
const tracks = Array.from({ length: 35 }, (_, i) => ({
  id: `song-${i + 1}`,
  title: `Song ${i + 1}: 비 오는 날의 레이오버 (Slow Dancing Piano Version with Strings)`,
}));
const tracking = trackingFrom({
  ...layoverConfig,
  // Its own album, so the fixture's videos (tied to Layover's songs) do not apply.
  videos: [],
  albums: [{ id: 'big', title: 'Big Album', releasedAt: '2023-09-08T13:00:00+09:00', tracks }],
  records: [],
});

interface Shown {
  embeds: { title: string; description: string; footer: { text: string } }[];
  components?: { components: { custom_id: string; disabled?: boolean }[] }[];
}

describe('Discord limits: a 35-song album status pages instead of going over 4,096 characters', () => {
  const prefix = uniquePrefix('limits');
  let harness: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    await seedSnapshots(harness.redis, prefix, tracking, [
      {
        capturedAt: '2023-10-10T23:00:00+09:00',
        tracks: Object.fromEntries(tracks.map((t, i) => [t.id, 50e6 + i * 1e6])),
      },
      {
        capturedAt: '2023-10-11T23:00:00+09:00',
        tracks: Object.fromEntries(tracks.map((t, i) => [t.id, 51e6 + i * 1e6])),
      },
    ]);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('answers within every limit, with page buttons that show every song once', async () => {
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'status' });
    const token = String(interaction.token);
    await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
    const record = await waitFor(() => {
      const r = harness.emulator.interactions.get(token);
      return r !== undefined && !r.thinking && r.original !== null ? r : undefined;
    }, 'the status answer');
    // The emulator refuses what Discord refuses (description over 4,096, 6,000 in all): nothing was refused.
    expect(record.refusals).toEqual([]);
    let shown = record.original as unknown as Shown;
    const pages: string[] = [shown.embeds[0]!.description];
    const footer = shown.embeds[0]!.footer.text;
    const pageCount = Number(/page 1 of (\d+)/.exec(footer)?.[1]);
    expect(pageCount).toBeGreaterThan(1);
    for (let page = 1; page < pageCount; page += 1) {
      const next = shown.components![0]!.components.find((c) => c.custom_id.endsWith(`:${page}`));
      expect(next?.disabled).toBe(false);
      const res = await postInteraction(
        harness.app,
        harness.emulator,
        keys.privateKey,
        buttonInteraction({
          customId: next!.custom_id,
          permissions: '0',
          channelId: '500000000000000001',
          guildId: '200000000000000001',
          messageId: harness.emulator.snowflake(),
        }),
      );
      const answer = res.json<{ type: number; data: Shown }>();
      expect(answer.type).toBe(InteractionResponseType.UpdateMessage);
      shown = answer.data;
      expect(shown.embeds[0]!.footer.text).toContain(`page ${page + 1} of ${pageCount}`);
      pages.push(shown.embeds[0]!.description);
    }
    for (const description of pages) expect([...description].length).toBeLessThanOrEqual(4096);
    const all = pages.join('\n');
    for (const track of tracks) {
      expect(all.split(`**${track.title}**`).length - 1, track.title).toBe(1);
    }
    // The last page's Next is disabled.
    expect(shown.components![0]!.components.at(-1)?.disabled).toBe(true);
  });
});
