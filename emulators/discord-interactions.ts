import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionType,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIInteractionDataResolved,
} from 'discord-api-types/v10';

/** An Ed25519 key pair as Discord's developer portal would give it: the public key as 64 hex digits. */
export function interactionKeyPair(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicKeyHex: Buffer.from(jwk.x ?? '', 'base64url').toString('hex'), privateKey };
}

/** Headers Discord sends with an interaction: the signature over `timestamp + body`. */
export function signedHeaders(
  privateKey: KeyObject,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(timestampSeconds);
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
  };
}

export interface ChatInputOptions {
  readonly command: string;
  readonly subcommand: string;
  /** The subcommand group, e.g. `template` for `/layover-mod template set`. */
  readonly group?: string;
  readonly options?: readonly APIApplicationCommandInteractionDataBasicOption[];
  readonly resolved?: APIInteractionDataResolved;
  readonly guildId?: string;
  /** The invoking member's permissions, as the decimal bitfield string Discord sends. */
  readonly permissions?: string;
  readonly applicationId?: string;
}

let sequence = 0;

/** A chat-input command interaction as Discord sends it (enough of it for our handlers). */
export function chatInputInteraction(input: ChatInputOptions): Record<string, unknown> {
  sequence += 1;
  const guildId = input.guildId ?? '200000000000000001';
  return {
    id: `30000000000000${String(sequence).padStart(4, '0')}`,
    application_id: input.applicationId ?? '400000000000000001',
    type: InteractionType.ApplicationCommand,
    token: `interaction-token-${sequence}`,
    version: 1,
    guild_id: guildId,
    channel_id: '500000000000000001',
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    member: {
      user: {
        id: '600000000000000001',
        username: 'fan',
        discriminator: '0',
        global_name: null,
        avatar: null,
      },
      roles: [],
      permissions: input.permissions ?? '0',
      joined_at: '2023-09-08T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    data: {
      id: '700000000000000001',
      name: input.command,
      type: ApplicationCommandType.ChatInput,
      options: (() => {
        const subcommand = {
          type: ApplicationCommandOptionType.Subcommand,
          name: input.subcommand,
          options: input.options ?? [],
        };
        return input.group === undefined
          ? [subcommand]
          : [
              {
                type: ApplicationCommandOptionType.SubcommandGroup,
                name: input.group,
                options: [subcommand],
              },
            ];
      })(),
      ...(input.resolved === undefined ? {} : { resolved: input.resolved }),
    },
  };
}

/**
 * An autocomplete interaction (type 4) as Discord sends it while the user types: the subcommand's options so
 * far, with `focused: true` on the one being typed (its value is the partial text).
 */
export function autocompleteInteraction(
  input: ChatInputOptions & { readonly locale?: string },
): Record<string, unknown> {
  return {
    ...chatInputInteraction(input),
    type: InteractionType.ApplicationCommandAutocomplete,
    locale: input.locale ?? 'en-US',
  };
}
