import { generateKeyPairSync, sign } from 'node:crypto';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { layoverModCommand } from '../../commands/layover-mod.command.js';
import { progressBar } from '../../commands/handlers/progress.js';
import { announcementMessage, nonceFor } from '../../src/platforms/discord/announcement-message.js';
import {
  checkCommands,
  CommandDefinitionError,
} from '../../src/platforms/discord/interactions/check-commands.js';
import type { CommandDefinition } from '../../src/platforms/discord/interactions/command-types.js';
import {
  interactionPublicKey,
  verifyInteractionSignature,
} from '../../src/platforms/discord/interactions/verify-signature.js';

describe('slash command definitions', () => {
  it('load with a handler for every subcommand, and moderator settings need Manage Server', () => {
    const modules = loadCommands();
    expect(modules.map((m) => m.definition.name)).toEqual(['layover', 'layover-mod']);
    expect(Object.keys(modules[0]!.handlers).sort()).toEqual(['milestones', 'next', 'status', 'why']);
    expect(layoverModCommand.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
  });

  it('are refused at load time, every problem listed, when a handler is missing or a rule is broken', () => {
    const broken: CommandDefinition = {
      name: 'Bad Name',
      description: 'x',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'go',
          description: 'go',
          options: [
            { type: ApplicationCommandOptionType.String, name: 'a', description: 'a' },
            { type: ApplicationCommandOptionType.String, name: 'b', description: 'b', required: true },
          ],
        },
      ],
    };
    const run = () => checkCommands([{ definition: broken, ephemeral: false, handlers: {} }]);
    expect(run).toThrow(CommandDefinitionError);
    try {
      run();
    } catch (error) {
      const problems = (error as CommandDefinitionError).problems.join('\n');
      expect(problems).toContain('/Bad Name: name: must be 1-32 lower-case letters');
      expect(problems).toContain('required options must come first');
      expect(problems).toContain('/Bad Name go: no handler');
    }
  });
});

describe('interaction signatures', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
  const key = interactionPublicKey(hex);
  const body = Buffer.from('{"type":1}');
  const now = 1_700_000_000_000;
  const timestamp = String(now / 1000);
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');

  it('accept Discord’s signature over timestamp and raw body within five minutes', () => {
    expect(verifyInteractionSignature(key, { signature, timestamp, rawBody: body }, now + 299_000)).toBe(
      true,
    );
  });

  it('reject a stale or future timestamp, other bytes, and malformed headers', () => {
    expect(verifyInteractionSignature(key, { signature, timestamp, rawBody: body }, now + 301_000)).toBe(
      false,
    );
    expect(verifyInteractionSignature(key, { signature, timestamp, rawBody: body }, now - 301_000)).toBe(
      false,
    );
    expect(
      verifyInteractionSignature(key, { signature, timestamp, rawBody: Buffer.from('{"type":2}') }, now),
    ).toBe(false);
    expect(verifyInteractionSignature(key, { signature: 'zz', timestamp, rawBody: body }, now)).toBe(false);
    expect(verifyInteractionSignature(key, { signature, timestamp: undefined, rawBody: body }, now)).toBe(
      false,
    );
  });
});

describe('announcement messages', () => {
  const posts = {
    x: 'x',
    discord: { content: 'Congratulations @everyone! '.repeat(80), embed: { title: 't', description: 'd' } },
  };

  it('mention only the configured role, never @everyone, and stay within 2000 characters', () => {
    const body = announcementMessage(posts, { roleId: '123456789012345678', nonce: 'n' });
    expect(body.content.startsWith('<@&123456789012345678> ')).toBe(true);
    expect([...body.content].length).toBeLessThanOrEqual(2000);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: ['123456789012345678'] });
    expect(body).toMatchObject({ nonce: 'n', enforce_nonce: true });
  });

  it('derive a stable nonce of at most 25 characters from the ledger key', () => {
    const a = nonceFor('v/album:layover/500000000|discord:200000000000000001');
    expect(a).toHaveLength(25);
    expect(nonceFor('v/album:layover/500000000|discord:200000000000000001')).toBe(a);
    expect(nonceFor('v/album:layover/500000000|discord:200000000000000002')).not.toBe(a);
  });
});

describe('progress bars', () => {
  it('fill the way from the last milestone to the next', () => {
    expect(progressBar({ value: 85_000_000, previous: 80_000_000, next: 90_000_000 })).toBe('▰▰▰▰▰▱▱▱▱▱ 50%');
    expect(progressBar({ value: 80_000_000, previous: 80_000_000, next: 90_000_000 })).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
  });
});
