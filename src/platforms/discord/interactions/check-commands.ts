import { ProblemsError } from '../../../problems-error.js';
import { ApplicationCommandOptionType, Locale } from 'discord-api-types/v10';
import { z } from 'zod';
import type { CommandModule } from './command-types.js';

/**
 * Discord's naming rule for chat-input commands and their options (developer docs, "Application Command Naming"):
 * 1-32 letters of any script, digits, `-`, `_` or `'` (Devanagari and Thai marks too), and lower case wherever a
 * letter has a lower-case variant. Localized names follow the same rule.
 */
const DISCORD_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const nameSchema = z
  .string()
  .refine(
    (name) => DISCORD_NAME.test(name) && name === name.toLowerCase(),
    "must be 1-32 lower-case letters (or letters of a script without case), digits, -, _ or '",
  );
/** Lengths count Unicode code points, as Discord does. */
const textOf = (max: number) =>
  z
    .string()
    .refine((text) => [...text].length >= 1 && [...text].length <= max, `must be 1-${max} characters`);
const descriptionSchema = textOf(100);
const choiceNameSchema = textOf(100);
/** The locales Discord knows (`ko`, `en-US`, …); a localization keyed by anything else is refused. */
const localeSchema = z.enum(Object.values(Locale) as [Locale, ...Locale[]]);
/** Per-locale names, descriptions and choice names (e.g. `ko`) follow the same rules as the defaults. */
const localizationsOf = (value: z.ZodType<string>) =>
  z.partialRecord(localeSchema, value).nullable().optional();
const localized = {
  name_localizations: localizationsOf(nameSchema),
  description_localizations: localizationsOf(descriptionSchema),
};

const leafOptionSchema = z.looseObject({
  type: z.number().refine((t) => t >= Number(ApplicationCommandOptionType.String), 'must be a value option'),
  name: nameSchema,
  description: descriptionSchema,
  ...localized,
  required: z.boolean().optional(),
  choices: z
    .array(
      z.looseObject({
        name: choiceNameSchema,
        name_localizations: localizationsOf(choiceNameSchema),
        value: z.union([z.string(), z.number()]),
      }),
    )
    .max(25)
    .optional(),
});

const requiredFirst = (options: readonly { required?: boolean | undefined }[], ctx: z.RefinementCtx) => {
  let optionalSeen = false;
  options.forEach((option, i) => {
    if (option.required !== true) optionalSeen = true;
    else if (optionalSeen)
      ctx.addIssue({ code: 'custom', path: [i], message: 'required options must come first' });
  });
};

/**
 * Names are unique among the options of one level, in every locale too: two options a Korean client shows under
 * one name could not be told apart.
 */
const uniqueNames = (
  options: readonly {
    name: string;
    name_localizations?: Partial<Record<string, string>> | null | undefined;
  }[],
  ctx: z.RefinementCtx,
) => {
  const seen = new Map<string, Set<string>>();
  const check = (locale: string, name: string, path: (string | number)[]) => {
    const names = seen.get(locale) ?? new Set<string>();
    if (names.has(name)) ctx.addIssue({ code: 'custom', path, message: `duplicate "${name}"` });
    seen.set(locale, names.add(name));
  };
  options.forEach((option, i) => {
    check('', option.name, [i, 'name']);
    for (const [locale, name] of Object.entries(option.name_localizations ?? {})) {
      if (name !== undefined) check(locale, name, [i, 'name_localizations', locale]);
    }
  });
};

const subcommandSchema = z.looseObject({
  type: z.literal(ApplicationCommandOptionType.Subcommand),
  name: nameSchema,
  description: descriptionSchema,
  ...localized,
  options: z.array(leafOptionSchema).max(25).superRefine(requiredFirst).superRefine(uniqueNames).optional(),
});

const subcommandGroupSchema = z.looseObject({
  type: z.literal(ApplicationCommandOptionType.SubcommandGroup),
  name: nameSchema,
  description: descriptionSchema,
  ...localized,
  options: z.array(subcommandSchema).min(1).max(25).superRefine(uniqueNames),
});

const definitionSchema = z.looseObject({
  name: nameSchema,
  description: descriptionSchema,
  ...localized,
  default_member_permissions: z.string().regex(/^\d+$/).nullable().optional(),
  options: z
    .array(z.union([subcommandSchema, subcommandGroupSchema]))
    .min(1)
    .max(25)
    .superRefine(uniqueNames),
});

/** Handler keys of a definition: each subcommand's name, or `<group> <subcommand>` inside a group. */
function subcommandKeys(definition: CommandModule<unknown>['definition']): string[] {
  return (definition.options ?? []).flatMap((option) =>
    option.type === ApplicationCommandOptionType.SubcommandGroup
      ? (option.options ?? []).map((sub) => `${option.name} ${sub.name}`)
      : [option.name],
  );
}

/** Raised at load time when a command definition or its handlers are wrong; lists every problem. */
export class CommandDefinitionError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super('invalid slash commands', problems);
  }
}

/**
 * Checks definitions against Discord's rules (names, lengths, limits, required options first) and that every
 * subcommand (also inside a group, keyed `<group> <subcommand>`) has exactly one handler. Called when the bot or the deploy script loads the commands.
 */
export function checkCommands<S>(modules: readonly CommandModule<S>[]): readonly CommandModule<S>[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const { definition, handlers } of modules) {
    const parsed = definitionSchema.safeParse(definition);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`/${definition.name}: ${issue.path.join('.') || '(command)'}: ${issue.message}`);
      }
    }
    if (names.has(definition.name)) problems.push(`/${definition.name}: defined twice`);
    names.add(definition.name);
    for (const [locale, name] of Object.entries(definition.name_localizations ?? {})) {
      if (names.has(`${locale}:${name}`))
        problems.push(`/${definition.name}: ${locale} name "${name}" taken`);
      names.add(`${locale}:${name}`);
    }
    const subcommands = new Set(subcommandKeys(definition));
    for (const name of subcommands) {
      if (!Object.hasOwn(handlers, name) || typeof handlers[name] !== 'function')
        problems.push(`/${definition.name} ${name}: no handler`);
    }
    for (const name of Object.keys(handlers)) {
      if (!subcommands.has(name)) problems.push(`/${definition.name} ${name}: handler without a definition`);
    }
  }
  if (problems.length > 0) throw new CommandDefinitionError(problems);
  return modules;
}
