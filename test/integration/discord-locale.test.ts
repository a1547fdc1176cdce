import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, loadCommands } from '../../commands/index.js';
import {
  checkCommands,
  CommandDefinitionError,
} from '../../src/platforms/discord/interactions/check-commands.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import {
  postInteraction,
  seedSnapshots,
  startInteractionsApp,
  waitFor,
  type InteractionsApp,
} from '../helpers/interactions-app.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const keys = interactionKeyPair();

interface Localized {
  readonly name: string;
  readonly name_localizations?: Record<string, string>;
  readonly description_localizations?: Record<string, string>;
  readonly options?: readonly Localized[];
}

describe('Korean: command localizations and replies in the interaction’s locale', () => {
  const prefix = uniquePrefix('locale');
  let harness: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    await seedSnapshots(harness.redis, prefix, tracking, [
      {
        capturedAt: '2023-10-10T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id) => [id, 80e6])),
      },
      {
        capturedAt: '2023-10-11T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id) => [id, 81e6])),
      },
    ]);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('gives every /layover command, subcommand and option a ko name and description, and every /layover-mod one a ko description', () => {
    const walk = (node: Localized, path: string, needName: boolean): string[] => [
      ...(needName && node.name_localizations?.ko === undefined ? [`${path}: no ko name`] : []),
      ...(node.description_localizations?.ko === undefined ? [`${path}: no ko description`] : []),
      ...(node.options ?? []).flatMap((o) =>
        (o as { type?: number }).type === 1 || (o as { type?: number }).type === 2 || needName
          ? walk(o, `${path} ${o.name}`, needName)
          : [],
      ),
    ];
    const [layover, mod] = commandDefinitions as unknown as [Localized, Localized];
    expect(walk(layover, '/layover', true)).toEqual([]);
    expect(walk(mod, '/layover-mod', false)).toEqual([]);
    // The localized names follow Discord's name rule, checked at load time like the defaults.
    expect(() => loadCommands()).not.toThrow();
    const [module] = loadCommands();
    const bad = {
      ...module!,
      definition: { ...module!.definition, name_localizations: { ko: '레이 오버' } },
    };
    expect(() => checkCommands([bad])).toThrow(CommandDefinitionError);
  });

  const answer = async (interaction: Record<string, unknown>) => {
    await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
    return waitFor(() => {
      const r = harness.emulator.interactions.get(String(interaction.token));
      return r !== undefined && !r.thinking && r.original !== null ? r.original : undefined;
    }, 'an answer');
  };

  it('answers in Korean for a ko locale, in English otherwise', async () => {
    const ko = (await answer({
      ...chatInputInteraction({ command: 'layover', subcommand: 'status' }),
      locale: 'ko',
    })) as {
      embeds: { title: string; description: string; footer: { text: string } }[];
    };
    expect(ko.embeds[0]?.title).toBe('레이오버: 486,000,000회 스트리밍');
    expect(ko.embeds[0]?.description).toContain('**블루**: 81,000,000');
    expect(ko.embeds[0]?.description).toContain('/일');
    expect(ko.embeds[0]?.footer.text).toMatch(/^데이터 기준 /);
    const fr = (await answer({
      ...chatInputInteraction({ command: 'layover', subcommand: 'status' }),
      locale: 'fr',
    })) as {
      embeds: { title: string }[];
    };
    expect(fr.embeds[0]?.title).toBe('Layover: 486,000,000 streams');
    const unknown = await answer({
      ...chatInputInteraction({ command: 'layover', subcommand: 'nope' }),
      locale: 'ko',
    });
    expect(unknown).toMatchObject({
      content: '이 버전의 봇이 모르는 명령입니다. 잠시 후 다시 시도해 주세요.',
    });
  });
});
