import { ComponentType, InteractionType } from 'discord-api-types/v10';

export interface ComponentClick {
  readonly customId: string;
  /** The clicking member's permissions, as the decimal bitfield string Discord sends. */
  readonly permissions: string;
  readonly channelId: string;
  readonly guildId: string;
  readonly messageId: string;
  readonly username?: string;
}

let sequence = 0;

function base(input: ComponentClick, type: InteractionType) {
  sequence += 1;
  return {
    id: `31000000000000${String(sequence).padStart(4, '0')}`,
    application_id: '400000000000000001',
    type,
    token: `component-token-${sequence}`,
    version: 1,
    guild_id: input.guildId,
    channel_id: input.channelId,
    channel: { id: input.channelId, type: 0 },
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    message: { id: input.messageId, channel_id: input.channelId, content: '', components: [] },
    member: {
      user: {
        id: '600000000000000002',
        username: input.username ?? 'mod',
        discriminator: '0',
        global_name: null,
        avatar: null,
      },
      roles: [],
      permissions: input.permissions,
      joined_at: '2023-09-08T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
  };
}

/** A button click (MESSAGE_COMPONENT) as Discord sends it, enough of it for our handlers. */
export function buttonInteraction(input: ComponentClick): Record<string, unknown> {
  return {
    ...base(input, InteractionType.MessageComponent),
    data: { custom_id: input.customId, component_type: ComponentType.Button },
  };
}

/** A modal submission (MODAL_SUBMIT) with one text field inside a label, as Discord sends it. */
export function modalSubmitInteraction(
  input: ComponentClick & { readonly fieldId: string; readonly value: string },
): Record<string, unknown> {
  return {
    ...base(input, InteractionType.ModalSubmit),
    data: {
      custom_id: input.customId,
      components: [
        {
          type: ComponentType.Label,
          id: 1,
          component: { type: ComponentType.TextInput, id: 2, custom_id: input.fieldId, value: input.value },
        },
      ],
    },
  };
}
