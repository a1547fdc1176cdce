import type {
  APIChatInputApplicationCommandInteraction,
  APIEmbed,
  APIInteractionDataResolvedChannel,
  APIRole,
  ApplicationCommandOptionType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

/** What a handler answers. Ephemeral replies are seen only by the person who ran the command. */
export interface CommandReply {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  readonly ephemeral?: boolean;
}

/** Everything a handler gets: the raw interaction, its options typed from the definition, and a way to answer. */
export interface CommandContext<Options, Services> {
  readonly interaction: APIChatInputApplicationCommandInteraction;
  readonly options: Options;
  readonly guildId: string | null;
  /** The invoking member's permissions in the channel (null outside a guild). */
  readonly memberPermissions: bigint | null;
  readonly services: Services;
  /** Answers (or, after {@link defer}, edits the deferred answer). Call once. */
  readonly reply: (reply: CommandReply) => Promise<void>;
  /** Acknowledges now and answers later; the dispatcher also defers on its own before Discord's 3 s deadline. */
  readonly defer: (options: { readonly ephemeral: boolean }) => Promise<void>;
}

/** A slash-command definition as data, with subcommands. */
export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody & { readonly name: string };

type OptionValue<T> = T extends ApplicationCommandOptionType.String
  ? string
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : T extends ApplicationCommandOptionType.Boolean
      ? boolean
      : T extends ApplicationCommandOptionType.Channel
        ? APIInteractionDataResolvedChannel
        : T extends ApplicationCommandOptionType.Role
          ? APIRole
          : T extends ApplicationCommandOptionType.User
            ? string
            : never;

type SubcommandOf<Def> = Def extends { readonly options: readonly (infer S)[] } ? S : never;
type NamedSubcommand<Def, Name> = Extract<SubcommandOf<Def>, { readonly name: Name }>;

/** Subcommand names of a definition. */
export type SubcommandName<Def> =
  SubcommandOf<Def> extends { readonly name: infer N extends string } ? N : never;

/**
 * The options of subcommand `Name` of definition `Def`, typed from the data: required options are present,
 * others optional; strings are strings, channels and roles their resolved objects.
 */
export type OptionsOf<Def, Name> =
  NamedSubcommand<Def, Name> extends { readonly options: readonly (infer O)[] }
    ? {
        readonly [
          K in Extract<O, { readonly required: true }> as K extends { readonly name: infer N extends string }
            ? N
            : never
        ]: K extends { readonly type: infer T } ? OptionValue<T> : never;
      } & {
        readonly [
          K in Exclude<O, { readonly required: true }> as K extends { readonly name: infer N extends string }
            ? N
            : never
        ]?: K extends { readonly type: infer T } ? OptionValue<T> : never;
      }
    : Record<string, never>;

/** One handler per subcommand of `Def`, each receiving its own typed options. */
export type HandlersFor<Def, Services> = {
  readonly [N in SubcommandName<Def>]: (
    context: CommandContext<OptionsOf<Def, N>, Services>,
  ) => Promise<void>;
};

/** A refusal or problem to tell the user as it is (ephemeral); anything else is logged and answered generically. */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

/** A definition together with its handlers, as the dispatcher takes them. */
export interface CommandModule<Services> {
  readonly definition: CommandDefinition;
  /**
   * Whether answers (and the automatic deferral) are ephemeral by default: for every subcommand (moderator
   * commands), or for the listed ones. A reply may still say otherwise, but a deferral fixes it.
   */
  readonly ephemeral: boolean | readonly string[];
  readonly handlers: Readonly<
    Record<string, (context: CommandContext<Record<string, unknown>, Services>) => Promise<void>>
  >;
}

/** Ties a definition to handlers typed from it, and hides the types from the dispatcher. */
export function commandModule<const Def extends CommandDefinition, Services>(
  definition: Def,
  handlers: HandlersFor<Def, Services>,
  options: { readonly ephemeral?: boolean | readonly SubcommandName<Def>[] } = {},
): CommandModule<Services> {
  return {
    definition,
    ephemeral: options.ephemeral ?? false,
    handlers: handlers as unknown as CommandModule<Services>['handlers'],
  };
}
