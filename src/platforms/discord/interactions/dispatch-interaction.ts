import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import type { Logger } from '../../../logger.js';
import { ReplyError, type CommandContext, type CommandModule, type CommandReply } from './command-types.js';
import type { ComponentHandler, ComponentInteraction } from './component-handler.js';
import type { InteractionResponder } from './responders.js';

/** Discord wants a first response within 3 s; past this, the dispatcher defers on the handler's behalf. */
const AUTO_DEFER_MS = 2000;

export interface DispatcherOptions<Services> {
  readonly modules: readonly CommandModule<Services>[];
  readonly services: Services;
  readonly logger: Logger;
  readonly autoDeferMs?: number;
  /** Button and modal-submit handlers, asked in order; the first that owns the `custom_id` answers. */
  readonly componentHandlers?: readonly ComponentHandler[];
}

/** Handles one interaction from either transport. Resolves once the handler (and its answers) are done. */
export type DispatchInteraction = (
  interaction: APIInteraction,
  responder: InteractionResponder,
) => Promise<void>;

function readOptions(interaction: APIChatInputApplicationCommandInteraction): {
  subcommand: string | null;
  options: Record<string, unknown>;
} {
  const top = interaction.data.options ?? [];
  const first = top[0];
  let subcommand: string | null = null;
  let leaves: readonly APIApplicationCommandInteractionDataBasicOption[] = [];
  if (first?.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = first.name;
    leaves = first.options ?? [];
  } else if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    const inner = first.options[0];
    if (inner !== undefined) {
      subcommand = `${first.name} ${inner.name}`;
      leaves = inner.options ?? [];
    }
  }
  const resolved = interaction.data.resolved;
  const options: Record<string, unknown> = {};
  for (const option of leaves) {
    if (option.type === ApplicationCommandOptionType.Channel)
      options[option.name] = resolved?.channels?.[option.value];
    else if (option.type === ApplicationCommandOptionType.Role)
      options[option.name] = resolved?.roles?.[option.value];
    else if ('value' in option) options[option.name] = option.value;
  }
  return { subcommand, options };
}

function toMessage(reply: CommandReply): APIInteractionResponseCallbackData {
  const files = reply.files ?? [];
  return {
    ...(reply.content === undefined ? {} : { content: reply.content }),
    ...(reply.embeds === undefined ? {} : { embeds: [...reply.embeds] }),
    ...(files.length === 0
      ? {}
      : {
          attachments: files.map((file, id) => ({
            id,
            filename: file.name,
            description: [...file.description].slice(0, 1024).join(''),
          })),
        }),
    allowed_mentions: { parse: [] },
    ...(reply.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Runs the component handler that owns the interaction's `custom_id`; one answer in every case. */
async function dispatchComponent(
  interaction: ComponentInteraction,
  responder: InteractionResponder,
  handlers: readonly ComponentHandler[],
  logger: Logger,
): Promise<void> {
  let responded = false;
  const tracked: InteractionResponder = {
    respond: async (response) => {
      responded = true;
      await responder.respond(response);
    },
    editOriginal: (body) => responder.editOriginal(body),
  };
  const refuse = (content: string) =>
    responder.respond({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
  try {
    for (const handle of handlers) if (await handle(interaction, tracked)) return;
    await refuse('This button is not known to this version of the bot.');
  } catch (error) {
    logger.error(
      {
        err: error instanceof Error ? (error.stack ?? error.message) : String(error),
        customId: interaction.data.custom_id,
      },
      'component interaction failed',
    );
    if (!responded) await refuse('Sorry, something went wrong. The error was logged.');
  }
}

/**
 * Builds the one dispatcher both the gateway and `POST /interactions` use: PING -> PONG, slash commands to their
 * handler with typed options, an automatic deferral before Discord's 3-second deadline, and one error handler
 * that answers the user whether or not the reply was deferred, and logs the cause.
 */
export function createDispatcher<Services>(options: DispatcherOptions<Services>): DispatchInteraction {
  const modules = new Map(options.modules.map((m) => [m.definition.name, m]));
  const autoDeferMs = options.autoDeferMs ?? AUTO_DEFER_MS;

  return async (interaction, responder) => {
    if (interaction.type === InteractionType.Ping) {
      await responder.respond({ type: InteractionResponseType.Pong });
      return;
    }
    if (
      (interaction.type === InteractionType.MessageComponent ||
        interaction.type === InteractionType.ModalSubmit) &&
      options.componentHandlers !== undefined
    ) {
      await dispatchComponent(interaction, responder, options.componentHandlers, options.logger);
      return;
    }
    if (
      interaction.type !== InteractionType.ApplicationCommand ||
      interaction.data.type !== ApplicationCommandType.ChatInput
    ) {
      await responder.respond({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { content: 'This kind of interaction is not supported.', flags: MessageFlags.Ephemeral },
      });
      return;
    }
    const command = interaction as APIChatInputApplicationCommandInteraction;
    const module = modules.get(command.data.name);
    const { subcommand, options: values } = readOptions(command);
    const handler = subcommand === null ? undefined : module?.handlers[subcommand];

    const privately =
      module === undefined || subcommand === null
        ? true
        : typeof module.ephemeral === 'boolean'
          ? module.ephemeral
          : module.ephemeral.includes(subcommand);
    let state: 'new' | 'deferred' | 'replied' = 'new';
    const answered = () => state === 'replied';
    let chain: Promise<void> = Promise.resolve();
    const serial = (step: () => Promise<void>): Promise<void> => {
      chain = chain.then(step);
      return chain;
    };
    const defer = ({ ephemeral }: { readonly ephemeral: boolean }) =>
      serial(async () => {
        if (state !== 'new') return;
        state = 'deferred';
        await responder.respond({
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          data: ephemeral ? { flags: MessageFlags.Ephemeral } : {},
        });
      });
    const reply = (answer: CommandReply) =>
      serial(async () => {
        if (state === 'replied') throw new Error('replied twice to one interaction');
        const ephemeral = answer.ephemeral ?? privately;
        const data = toMessage({ ...answer, ephemeral });
        const files = (answer.files ?? []).map((f) => ({
          name: f.name,
          data: f.data,
          contentType: f.contentType,
        }));
        if (files.length > 0) {
          // Uploads go through the webhook edit: defer first when nothing was sent yet.
          if (state === 'new') {
            await responder.respond({
              type: InteractionResponseType.DeferredChannelMessageWithSource,
              data: ephemeral ? { flags: MessageFlags.Ephemeral } : {},
            });
          }
          state = 'replied';
          const { flags: _flags, ...edit } = data;
          await responder.editOriginal(edit, files);
        } else if (state === 'new') {
          state = 'replied';
          await responder.respond({ type: InteractionResponseType.ChannelMessageWithSource, data });
        } else {
          state = 'replied';
          const { flags: _flags, ...edit } = data;
          await responder.editOriginal(edit);
        }
      });

    const timer = setTimeout(() => {
      defer({ ephemeral: privately }).catch((error: unknown) =>
        options.logger.warn({ err: String(error) }, 'automatic deferral failed'),
      );
    }, autoDeferMs);
    try {
      if (module === undefined || handler === undefined) {
        throw new ReplyError('This command is not known to this version of the bot. Try again in a minute.');
      }
      const permissions = command.member?.permissions;
      const context: CommandContext<Record<string, unknown>, Services> = {
        interaction: command,
        options: values,
        guildId: command.guild_id ?? null,
        memberPermissions: permissions === undefined ? null : BigInt(permissions),
        services: options.services,
        reply,
        defer,
      };
      await handler(context);
      await chain;
      if (!answered())
        throw new Error(`/${command.data.name} ${subcommand ?? ''} finished without answering`);
    } catch (error) {
      const userFacing = error instanceof ReplyError;
      if (!userFacing) {
        options.logger.error(
          {
            err: error instanceof Error ? (error.stack ?? error.message) : String(error),
            command: command.data.name,
            subcommand,
          },
          'command failed',
        );
      }
      const content = userFacing ? error.message : 'Sorry, something went wrong. The error was logged.';
      await serial(async () => {
        if (state === 'replied') return;
        const data = toMessage({ content, ephemeral: true });
        if (state === 'new') {
          state = 'replied';
          await responder.respond({ type: InteractionResponseType.ChannelMessageWithSource, data });
        } else {
          state = 'replied';
          const { flags: _flags, ...edit } = data;
          await responder.editOriginal(edit);
        }
      }).catch((answerError: unknown) =>
        options.logger.error({ err: String(answerError) }, 'could not tell the user about a failed command'),
      );
    } finally {
      clearTimeout(timer);
    }
  };
}
