import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIChatInputApplicationCommandInteraction,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIInteractionDataResolvedChannel,
  APIRole,
  ApplicationCommandOptionType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { inEveryLanguage, type LocalizedText, type ReplyLanguage, type Texts } from './reply-language.js';

export { replyLanguage, type ReplyLanguage } from './reply-language.js';

/** A file sent with an answer (an image the embed can show as `attachment://<name>`). */
export interface ReplyFile {
  readonly name: string;
  readonly data: Buffer;
  readonly contentType: string;
  /** Alt text: the attachment's `description` (at most 1,024 characters). */
  readonly description: string;
}

/** What a handler answers. Ephemeral replies are seen only by the person who ran the command. */
export interface CommandReply {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  /** Files are uploaded by editing a deferred answer (the dispatcher defers first if needed). */
  readonly files?: readonly ReplyFile[];
  /** Buttons (e.g. to page through a long list). */
  readonly components?: readonly APIActionRowComponent<APIComponentInMessageActionRow>[];
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
  /** The language to answer in: Korean for a `ko` Discord locale, English otherwise. */
  readonly language: ReplyLanguage;
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

/** A subcommand group's subcommands, each renamed `<group> <subcommand>`; a plain subcommand as it is. */
type Flattened<O> = O extends {
  readonly type: ApplicationCommandOptionType.SubcommandGroup;
  readonly name: infer G extends string;
  readonly options: readonly (infer S)[];
}
  ? S extends { readonly name: infer N extends string }
    ? Omit<S, 'name'> & { readonly name: `${G} ${N}` }
    : never
  : O;

/** Subcommands of a definition; those in a group are named `<group> <subcommand>` (e.g. `template set`). */
type SubcommandOf<Def> = Def extends { readonly options: readonly (infer S)[] } ? Flattened<S> : never;
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

/**
 * One handler per subcommand of `Def`, each receiving its own typed options. A subcommand inside a group is
 * keyed `<group> <subcommand>`.
 */
export type HandlersFor<Def, Services> = {
  readonly [N in SubcommandName<Def>]: (
    context: CommandContext<OptionsOf<Def, N>, Services>,
  ) => Promise<void>;
};

/**
 * A refusal or problem to tell the user as it is (ephemeral), in every reply language: the dispatcher answers in
 * the interaction's. Anything else thrown is logged and answered generically. The English text is the `message`.
 */
export class ReplyError extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
    this.name = 'ReplyError';
  }

  /** A ReplyError from an area's texts: `ReplyError.of(modTexts, (t) => t.setupFirst)`. */
  static of<T>(texts: Texts<T>, pick: (texts: T, language: ReplyLanguage) => string): ReplyError {
    return new ReplyError(inEveryLanguage(texts, pick));
  }
}

/** What an autocomplete handler gets: the option being typed, the others filled so far, and the services. */
export interface AutocompleteContext<Services> {
  /** The subcommand (`<group> <subcommand>` inside a group). */
  readonly subcommand: string;
  /** The focused option and what has been typed so far. */
  readonly focused: { readonly name: string; readonly value: string };
  /** The other options' values as typed (not resolved). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly services: Services;
  /** The user's Discord locale, e.g. `ko` or `en-US`. */
  readonly locale: string | undefined;
}

/** Suggestions for an option declared with `autocomplete: true` (the dispatcher sends at most 25). */
export type AutocompleteHandler<Services> = (
  context: AutocompleteContext<Services>,
) => Promise<readonly APIApplicationCommandOptionChoice[]>;

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
  /** Answers autocomplete for the options declared with `autocomplete: true`. */
  readonly autocomplete?: AutocompleteHandler<Services>;
}

/** Ties a definition to handlers typed from it, and hides the types from the dispatcher. */
export function commandModule<const Def extends CommandDefinition, Services>(
  definition: Def,
  handlers: HandlersFor<Def, Services>,
  options: {
    readonly ephemeral?: boolean | readonly SubcommandName<Def>[];
    readonly autocomplete?: AutocompleteHandler<Services>;
  } = {},
): CommandModule<Services> {
  return {
    definition,
    ephemeral: options.ephemeral ?? false,
    ...(options.autocomplete === undefined ? {} : { autocomplete: options.autocomplete }),
    handlers: handlers as unknown as CommandModule<Services>['handlers'],
  };
}
