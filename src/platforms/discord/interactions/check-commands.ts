import { ProblemsError } from '../../../problems-error.js';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { CommandModule } from './command-types.js';

const nameSchema = z
  .string()
  .regex(/^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u, 'must be 1-32 lower-case letters, digits, - or _');
const descriptionSchema = z.string().min(1).max(100);
/** Per-locale names and descriptions (e.g. `ko`) follow the same rules as the defaults. */
const nameLocalizations = z.record(z.string(), nameSchema).nullable().optional();
const descriptionLocalizations = z.record(z.string(), descriptionSchema).nullable().optional();
const localized = {
  name_localizations: nameLocalizations,
  description_localizations: descriptionLocalizations,
};

const leafOptionSchema = z.looseObject({
  type: z.number().refine((t) => t >= Number(ApplicationCommandOptionType.String), 'must be a value option'),
  name: nameSchema,
  description: descriptionSchema,
  ...localized,
  required: z.boolean().optional(),
  choices: z
    .array(z.looseObject({ name: z.string().min(1).max(100), value: z.union([z.string(), z.number()]) }))
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

const uniqueNames = (options: readonly { name: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  options.forEach((option, i) => {
    if (seen.has(option.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate "${option.name}"` });
    seen.add(option.name);
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
