import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIInteractionDataResolved,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
} from 'discord-api-types/v10';
import type { Logger } from '../../../logger.js';
import { commandAnswers } from './command-answers.js';
import { ReplyError, type CommandContext, type CommandModule } from './command-types.js';
import type { ComponentHandler, ComponentInteraction } from './component-handler.js';
import { parsePermissions } from './permissions.js';
import { replyLanguage, type Texts } from './reply-language.js';
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

/** An option as both command and autocomplete interactions carry it (loosely: autocomplete values are partial). */
interface RawOption {
  readonly type: number;
  readonly name: string;
  readonly value?: unknown;
  readonly focused?: boolean;
  readonly options?: readonly RawOption[];
}

/** The subcommand (`<group> <subcommand>` in a group), its option values (channels and roles resolved), and the focused option. */
function readOptions(
  top: readonly RawOption[],
  resolved: APIInteractionDataResolved | undefined,
): {
  subcommand: string | null;
  options: Record<string, unknown>;
  focused: { name: string; value: string } | null;
} {
  const first = top[0];
  let subcommand: string | null = null;
  let leaves: readonly RawOption[] = [];
  if (first?.type === Number(ApplicationCommandOptionType.Subcommand)) {
    subcommand = first.name;
    leaves = first.options ?? [];
  } else if (first?.type === Number(ApplicationCommandOptionType.SubcommandGroup)) {
    const inner = first.options?.[0];
    if (inner !== undefined) {
      subcommand = `${first.name} ${inner.name}`;
      leaves = inner.options ?? [];
    }
  }
  const options: Record<string, unknown> = {};
  let focused: { name: string; value: string } | null = null;
  for (const option of leaves) {
    const value = option.value;
    if (option.focused === true) {
      focused = {
        name: option.name,
        value: typeof value === 'string' || typeof value === 'number' ? String(value) : '',
      };
    }
    if (option.type === Number(ApplicationCommandOptionType.Channel) && typeof value === 'string')
      options[option.name] = resolved?.channels?.[value];
    else if (option.type === Number(ApplicationCommandOptionType.Role) && typeof value === 'string')
      options[option.name] = resolved?.roles?.[value];
    else if (value !== undefined) options[option.name] = value;
  }
  return { subcommand, options, focused };
}

/** The dispatcher's own words. */
interface DispatcherTexts {
  readonly refused: string;
  readonly failed: string;
  readonly unknown: string;
  readonly unknownButton: string;
  readonly unsupported: string;
}

const texts: Texts<DispatcherTexts> = {
  en: {
    refused: 'Sorry, Discord refused my answer. The error was logged.',
    failed: 'Sorry, something went wrong. The error was logged.',
    unknown: 'This command is not known to this version of the bot. Try again in a minute.',
    unknownButton: 'This button is not known to this version of the bot.',
    unsupported: 'This kind of interaction is not supported.',
  },
  ko: {
    refused: '죄송합니다. Discord가 답변을 거부했습니다. 오류는 기록되었습니다.',
    failed: '죄송합니다. 문제가 생겼습니다. 오류는 기록되었습니다.',
    unknown: '이 버전의 봇이 모르는 명령입니다. 잠시 후 다시 시도해 주세요.',
    unknownButton: '이 버전의 봇이 모르는 버튼입니다.',
    unsupported: '지원하지 않는 종류의 상호작용입니다.',
  },
};

/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

/**
 * Autocomplete: always answered with type 8 (the only type Discord accepts for it), with the module's
 * suggestions for the focused option, at most 25, or none when there is no handler or it failed.
 */
async function answerAutocomplete<Services>(
  interaction: APIApplicationCommandAutocompleteInteraction,
  responder: InteractionResponder,
  modules: ReadonlyMap<string, CommandModule<Services>>,
  options: DispatcherOptions<Services>,
): Promise<void> {
  let choices: readonly APIApplicationCommandOptionChoice[] = [];
  const module = modules.get(interaction.data.name);
  const { subcommand, options: values, focused } = readOptions(interaction.data.options ?? [], undefined);
  if (module?.autocomplete !== undefined && subcommand !== null && focused !== null) {
    try {
      choices = await module.autocomplete({
        subcommand,
        focused,
        options: values,
        services: options.services,
        locale: interaction.locale,
      });
    } catch (error) {
      options.logger.warn(
        { err: error instanceof Error ? error.message : String(error), command: interaction.data.name },
        'autocomplete failed; answering with no suggestions',
      );
    }
  }
  await responder.respond({
    type: InteractionResponseType.ApplicationCommandAutocompleteResult,
    data: { choices: choices.slice(0, MAX_CHOICES) },
  });
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
    followUp: (body) => responder.followUp(body),
    answered: () => responder.answered(),
  };
  const refuse = (content: string) =>
    responder.respond({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
  const w = texts[replyLanguage(interaction.locale)];
  try {
    for (const handle of handlers) if (await handle(interaction, tracked)) return;
    await refuse(w.unknownButton);
  } catch (error) {
    logger.error(
      {
        err: error instanceof Error ? (error.stack ?? error.message) : String(error),
        customId: interaction.data.custom_id,
      },
      'component interaction failed',
    );
    if (!responded) await refuse(w.failed);
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
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      await answerAutocomplete(interaction, responder, modules, options);
      return;
    }
    if (
      interaction.type !== InteractionType.ApplicationCommand ||
      interaction.data.type !== ApplicationCommandType.ChatInput
    ) {
      await responder.respond({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: {
          content: texts[replyLanguage(interaction.locale)].unsupported,
          flags: MessageFlags.Ephemeral,
        },
      });
      return;
    }
    const command = interaction as APIChatInputApplicationCommandInteraction;
    const module = modules.get(command.data.name);
    const { subcommand, options: values } = readOptions(command.data.options ?? [], command.data.resolved);
    // Own properties only: a subcommand named `constructor` or `__proto__` must not reach Object.prototype.
    const handler =
      subcommand === null || module === undefined || !Object.hasOwn(module.handlers, subcommand)
        ? undefined
        : module.handlers[subcommand];

    const privately =
      module === undefined || subcommand === null
        ? true
        : typeof module.ephemeral === 'boolean'
          ? module.ephemeral
          : module.ephemeral.includes(subcommand);
    const language = replyLanguage(command.locale);
    const answers = commandAnswers({
      responder,
      logger: options.logger,
      privately,
      fallbackText: texts[language].refused,
    });
    const timer = setTimeout(() => {
      answers
        .defer(privately)
        .catch((error: unknown) => options.logger.warn({ err: String(error) }, 'automatic deferral failed'));
    }, autoDeferMs);
    try {
      if (module === undefined || handler === undefined) {
        throw ReplyError.of(texts, (t) => t.unknown);
      }
      const context: CommandContext<Record<string, unknown>, Services> = {
        interaction: command,
        options: values,
        guildId: command.guild_id ?? null,
        memberPermissions: parsePermissions(command.member?.permissions),
        services: options.services,
        language,
        reply: (answer) => answers.reply(answer),
        defer: ({ ephemeral }) => answers.defer(ephemeral),
      };
      await handler(context);
      // Wait for the answer's last step (an automatic deferral may still be on its way).
      await answers.settled();
      if (answers.state !== 'replied')
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
      const content = userFacing ? error.text[language] : texts[language].failed;
      await answers.tell(content);
    } finally {
      clearTimeout(timer);
    }
  };
}
