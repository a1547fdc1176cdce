import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { commandDefinitions, loadCommands } from '../../commands/index.js';
import {
  checkCommands,
  CommandDefinitionError,
} from '../../src/platforms/discord/interactions/check-commands.js';
import type { CommandDefinition } from '../../src/platforms/discord/interactions/command-types.js';

/**
 * Discord's rules for what a Korean client shows (developer docs, "Application Command Naming" and the command,
 * option and choice structures), written out here rather than taken from the load-time check, so that this test
 * checks the definitions against the documentation and not against the code under test:
 * - a name (and each localized name) matches `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$` with the unicode
 *   flag, in lower case wherever a letter has a lower-case variant;
 * - a description (and each localized one) has 1 to 100 characters;
 * - a choice name (and each localized one) has 1 to 100 characters.
 */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const isName = (name: string) => NAME.test(name) && name === name.toLowerCase();
const length = (text: string) => [...text].length;
const fits = (text: string, max: number) => length(text) >= 1 && length(text) <= max;

interface Node {
  readonly type?: number;
  readonly name: string;
  readonly name_localizations?: Readonly<Record<string, string>> | null;
  readonly description: string;
  readonly description_localizations?: Readonly<Record<string, string>> | null;
  readonly options?: readonly Node[];
  readonly choices?: readonly {
    readonly name: string;
    readonly name_localizations?: Readonly<Record<string, string>> | null;
  }[];
}

/** Every problem with the `ko` localizations of `node` and everything inside it, each named by its path. */
function koProblems(node: Node, path: string): string[] {
  const problems: string[] = [];
  const name = node.name_localizations?.ko;
  const description = node.description_localizations?.ko;
  if (name === undefined) problems.push(`${path}: no ko name`);
  else if (!isName(name)) problems.push(`${path}: ko name "${name}" breaks Discord's name rule`);
  if (description === undefined) problems.push(`${path}: no ko description`);
  else if (!fits(description, 100))
    problems.push(`${path}: ko description has ${length(description)} characters, not 1-100`);
  for (const choice of node.choices ?? []) {
    const choiceName = choice.name_localizations?.ko;
    if (choiceName === undefined) problems.push(`${path} choice "${choice.name}": no ko name`);
    else if (!fits(choiceName, 100))
      problems.push(
        `${path} choice "${choice.name}": ko name has ${length(choiceName)} characters, not 1-100`,
      );
  }
  const siblings = (node.options ?? []).map((o) => o.name_localizations?.ko).filter((n) => n !== undefined);
  for (const duplicate of siblings.filter((n, i) => siblings.indexOf(n) !== i))
    problems.push(`${path}: two options are called "${duplicate}" in Korean`);
  for (const option of node.options ?? []) problems.push(...koProblems(option, `${path} ${option.name}`));
  return problems;
}

const definitions = commandDefinitions as unknown as readonly Node[];

describe('the Korean localizations of the slash commands', () => {
  it('name and describe every command, subcommand group, subcommand, option and choice, within Discord’s limits', () => {
    expect(definitions.map((d) => d.name)).toEqual(['layover', 'layover-mod']);
    expect(definitions.flatMap((d) => koProblems(d, `/${d.name}`))).toEqual([]);
    const commandNames = definitions.map((d) => d.name_localizations?.ko);
    expect(new Set(commandNames).size).toBe(commandNames.length);
  });

  it('are walked all the way down: the walk reports a missing or broken one anywhere', () => {
    const leaf: Node = {
      type: ApplicationCommandOptionType.String,
      name: 'kind',
      name_localizations: { ko: '종류' },
      description: 'Which kind',
      description_localizations: { ko: '어느 종류' },
      choices: [
        { name: 'Song', name_localizations: { ko: '곡' } },
        { name: 'Album', name_localizations: { ko: '' } },
        { name: 'Video' },
      ],
    };
    const command: Node = {
      name: 'cmd',
      name_localizations: { ko: 'Cmd' },
      description: 'x',
      description_localizations: { ko: '가'.repeat(101) },
      options: [
        {
          type: ApplicationCommandOptionType.SubcommandGroup,
          name: 'group',
          name_localizations: { ko: '그룹' },
          description: 'g',
          options: [
            {
              type: ApplicationCommandOptionType.Subcommand,
              name: 'sub',
              name_localizations: { ko: '하위 명령' },
              description: 's',
              description_localizations: { ko: '하위' },
              options: [leaf, { ...leaf, name: 'other', choices: [] }],
            },
          ],
        },
      ],
    };
    expect(koProblems(command, '/cmd')).toEqual([
      '/cmd: ko name "Cmd" breaks Discord\'s name rule',
      '/cmd: ko description has 101 characters, not 1-100',
      '/cmd group: no ko description',
      '/cmd group sub: ko name "하위 명령" breaks Discord\'s name rule',
      '/cmd group sub: two options are called "종류" in Korean',
      '/cmd group sub kind choice "Album": ko name has 0 characters, not 1-100',
      '/cmd group sub kind choice "Video": no ko name',
    ]);
  });
});

describe('the load-time check of command definitions', () => {
  /** A one-subcommand command whose `options`, `choices` and localizations the cases below vary. */
  const definition = (patch: { command?: object; option?: object; choice?: object }): CommandDefinition => ({
    name: 'cmd',
    description: 'a command',
    ...patch.command,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'go',
        description: 'go',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'pick',
            description: 'pick one',
            choices: [{ name: 'One', value: 'one', ...patch.choice }],
            ...patch.option,
          },
        ],
      },
    ],
  });
  const problems = (def: CommandDefinition): string[] => {
    try {
      checkCommands([{ definition: def, ephemeral: false, handlers: { go: () => Promise.resolve() } }]);
      return [];
    } catch (error) {
      if (!(error instanceof CommandDefinitionError)) throw error;
      return [...error.problems];
    }
  };

  it('accepts the real definitions, and names and descriptions Discord accepts in any script', () => {
    expect(() => loadCommands()).not.toThrow();
    expect(
      problems(
        definition({
          command: { name_localizations: { ko: '명령', 'pt-BR': 'comando', hi: 'आदेश', th: 'คำสั่ง' } },
          option: {
            name_localizations: { ko: "고르기_1-2'" },
            description_localizations: { ko: '가'.repeat(100) },
          },
          choice: { name_localizations: { ko: '하나 (1)', de: 'Eins' } },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a localized name, description or choice name Discord would refuse, and an unknown locale', () => {
    expect(problems(definition({ command: { name_localizations: { ko: '레이 오버' } } }))).toEqual([
      expect.stringMatching(/^\/cmd: name_localizations\.ko: must be 1-32 lower-case letters/),
    ]);
    expect(problems(definition({ command: { name_localizations: { fr: 'Commande' } } }))).toEqual([
      expect.stringMatching(/^\/cmd: name_localizations\.fr: must be 1-32 lower-case letters/),
    ]);
    expect(problems(definition({ option: { name_localizations: { ko: '가'.repeat(33) } } }))).toHaveLength(1);
    expect(problems(definition({ option: { description_localizations: { ko: '가'.repeat(101) } } }))).toEqual(
      [expect.stringMatching(/^\/cmd: options\.0\.options\.0\.description_localizations\.ko: /)],
    );
    expect(problems(definition({ option: { description_localizations: { ko: '' } } }))).toHaveLength(1);
    expect(problems(definition({ choice: { name_localizations: { ko: '가'.repeat(101) } } }))).toEqual([
      expect.stringMatching(/^\/cmd: options\.0\.options\.0\.choices\.0\.name_localizations\.ko: /),
    ]);
    expect(problems(definition({ choice: { name_localizations: { ko: '' } } }))).toHaveLength(1);
    expect(problems(definition({ command: { description_localizations: { kr: '명령' } } }))).toEqual([
      expect.stringMatching(/^\/cmd: description_localizations: .*"kr"/),
    ]);
  });

  it('refuses an upper-case letter in a name where the script has a lower-case one, and spaces', () => {
    for (const name of ['Go', 'GO', 'ÉTÉ', 'Ωmega', 'go now', 'go!']) {
      expect(problems(definition({ command: { name } })), name).not.toEqual([]);
    }
    for (const name of ['été', 'ωmega', 'ǆ', '123', "it's", 'ㄱ', 'ナ']) {
      expect(problems(definition({ command: { name } })), name).toEqual([]);
    }
  });

  it('refuses two commands with the same localized name', () => {
    const module = (name: string) => ({
      definition: definition({ command: { name, name_localizations: { ko: '명령' } } }),
      ephemeral: false,
      handlers: { go: () => Promise.resolve() },
    });
    expect(() => checkCommands([module('one'), module('two')])).toThrow(
      expect.objectContaining({ problems: ['/two: ko name "명령" taken'] }),
    );
  });

  it('refuses two options of one level with the same localized name', () => {
    const twice = definition({});
    const sub = (twice.options as unknown as { options: object[] }[])[0]!;
    sub.options = [
      {
        type: ApplicationCommandOptionType.String,
        name: 'a',
        description: 'a',
        name_localizations: { ko: '가' },
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'b',
        description: 'b',
        name_localizations: { ko: '가' },
      },
    ];
    expect(problems(twice)).toEqual([
      expect.stringMatching(/^\/cmd: options\.0\.options\.1\.name_localizations\.ko: duplicate "가"/),
    ]);
  });
});
