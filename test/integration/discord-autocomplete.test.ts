import { ApplicationCommandOptionType, InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autocompleteInteraction,
  chatInputInteraction,
  interactionKeyPair,
} from '../../emulators/discord-interactions.js';
import { postInteraction, startInteractionsApp, type InteractionsApp } from '../helpers/interactions-app.js';
import { layoverConfig, trackingFrom } from '../helpers/posts-fixtures.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const keys = interactionKeyPair();

interface Choices {
  type: number;
  data: { choices: { name: string; value: string }[] };
}

describe('autocomplete of album and song titles', () => {
  const prefix = uniquePrefix('autocomplete');
  let harness: InteractionsApp;
  let big: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({
      prefix,
      publicKeyHex: keys.publicKeyHex,
      tracking: layoverTracking(),
    });
    big = await startInteractionsApp({
      prefix: `${prefix}-big`,
      publicKeyHex: keys.publicKeyHex,
      tracking: trackingFrom({
        ...layoverConfig,
        // Its own album, so the fixture's videos (tied to Layover's songs) do not apply.
        videos: [],
        albums: [
          {
            id: 'big',
            title: 'Big Album',
            releasedAt: '2023-09-08T13:00:00+09:00',
            tracks: Array.from({ length: 40 }, (_, i) => ({ id: `song-${i}`, title: `Song ${i}` })),
          },
        ],
        records: [],
      }),
    });
  });

  afterAll(async () => {
    await harness.close();
    await big.close();
  });

  const suggest = async (
    app: InteractionsApp,
    subcommand: string,
    options: { name: string; value: string; focused?: boolean }[],
  ) => {
    const res = await postInteraction(
      app.app,
      app.emulator,
      keys.privateKey,
      autocompleteInteraction({
        command: 'layover',
        subcommand,
        options: options.map((o) => ({ type: ApplicationCommandOptionType.String, ...o })),
      }),
    );
    const answer = res.json<Choices>();
    expect(answer.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    return answer.data.choices;
  };

  it('suggests albums by English or Korean title, case-insensitively, answering with type 8', async () => {
    for (const typed of ['lay', 'LAYO', '레이', '이오']) {
      expect(
        await suggest(harness, 'status', [{ name: 'album', value: typed, focused: true }]),
        typed,
      ).toEqual([{ name: 'Layover · 레이오버', value: 'layover' }]);
    }
    expect(await suggest(harness, 'status', [{ name: 'album', value: 'zzz', focused: true }])).toEqual([]);
  });

  it('suggests songs of the chosen album, prefixes first, by English or Korean title', async () => {
    const slow = await suggest(harness, 'why', [
      { name: 'album', value: 'layover' },
      { name: 'track', value: '슬로', focused: true },
    ]);
    expect(slow.map((c) => c.value)).toEqual(['slow-dancing', 'slow-dancing-piano']);
    const blue = await suggest(harness, 'why', [{ name: 'track', value: 'bLuE', focused: true }]);
    expect(blue).toEqual([{ name: 'Blue · 블루', value: 'blue' }]);
    // "Love Me Again" starts with "l"; "Slow Dancing" and "Blue" only contain one: the prefix comes first.
    expect((await suggest(harness, 'why', [{ name: 'track', value: 'l', focused: true }]))[0]?.value).toBe(
      'love-me-again',
    );
  });

  it('answers a chosen suggestion: the value (an id) is what the command then looks up', async () => {
    const res = await postInteraction(
      harness.app,
      harness.emulator,
      keys.privateKey,
      chatInputInteraction({
        command: 'layover',
        subcommand: 'why',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'album', value: '레이오버' },
          { type: ApplicationCommandOptionType.String, name: 'track', value: 'slow-dancing-piano' },
        ],
      }),
    );
    expect(res.json<{ data: { content: string } }>().data.content).toContain('Slow Dancing (Piano Ver.)');
  });

  it('never offers more than 25 choices', async () => {
    const all = await suggest(big, 'why', [{ name: 'track', value: '', focused: true }]);
    expect(all).toHaveLength(25);
    expect(await suggest(big, 'why', [{ name: 'track', value: 'song 3', focused: true }])).toHaveLength(11);
  });
});
