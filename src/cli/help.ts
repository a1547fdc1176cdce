/**
 * What `layover-bot help`, `layover-bot --help` and `layover-bot <command> --help` print. A command asked for help
 * prints it and does nothing else (`start --help` does not start the bot).
 */

interface CommandHelp {
  /** The command's name, then any older names that still work. */
  readonly names: readonly [string, ...string[]];
  /** Its arguments, as typed after the name. */
  readonly synopsis: string;
  readonly about: string;
}

const commands: readonly CommandHelp[] = [
  {
    names: ['start'],
    synopsis: '',
    about: 'run the bot as the settings say (ROLES, credentials; console without them)',
  },
  {
    names: ['demo'],
    synopsis: '',
    about: "replay the bundled SAMPLE history of V's Layover and print the posts",
  },
  {
    names: ['replay'],
    synopsis: '--config <file> --snapshots <file.jsonl> [--json]',
    about: 'dry-run a whole history through the real pipeline',
  },
  {
    names: ['ingest'],
    synopsis: '<file.jsonl|file.ndjson|file.json|file.csv> [--dry-run] [--backfill]',
    about:
      'validate a snapshot file, then enqueue it on the live snapshots queue (--backfill: record its milestones ' +
      'without posting them)',
  },
  {
    names: ['failed'],
    synopsis: '[--limit <n>] [--json] | failed --retry <job id|all>',
    about: 'list failed snapshot jobs (id, reason, payload summary), or run them again',
  },
  {
    names: ['milestones'],
    synopsis: '[--artist <id>] [--json]',
    about: "list what the live bot announced, with each destination's state",
  },
  {
    names: ['state'],
    synopsis: 'show --artist <id> [--json] | state reset --artist <id> --yes',
    about: "show one artist's stored state, or delete it (its next snapshot is a baseline)",
  },
  {
    names: ['preview'],
    synopsis: '[--config <file>] [--out <dir>] [--font <file or folder>] [--snapshots <file.jsonl>]',
    about:
      'render every kind, in every language, with cards and charts (SAMPLE data; charts from --snapshots when ' +
      'given)',
  },
  {
    names: ['sources'],
    synopsis: 'check | sources parse <file> [--kind kworb|spotify|youtube|json] [--artist <id>]',
    about:
      'fetch each configured source once and show what matched and how; or parse a saved page or answer as its ' +
      'source would',
  },
  {
    names: ['commands:deploy', 'deploy-commands'],
    synopsis: '[--guild <id>]',
    about: 'register the Discord slash commands, globally or in one server',
  },
];

const width = 100;

/** Words of `text` in lines of at most `width` characters, each after `indent`. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function entry(command: CommandHelp): string {
  const head = `  ${[command.names[0], command.synopsis].filter((part) => part !== '').join(' ')}`;
  const indent = ' '.repeat(29);
  return head.length < indent.length - 1
    ? `${head.padEnd(indent.length)}${wrap(command.about, indent).slice(indent.length)}`
    : `${head}\n${wrap(command.about, indent)}`;
}

/** Every command, a paragraph each. */
export const usage = `layover-bot <command> [--help]

commands:
${commands.map(entry).join('\n')}

npm scripts take the same arguments after --, e.g. npm run replay -- --help.`;

function commandNamed(name: string): CommandHelp | undefined {
  return commands.find((command) => command.names.includes(name));
}

/** Whether `name` is a command (or an older name of one). */
export function isCommand(name: string): boolean {
  return commandNamed(name) !== undefined;
}

/** The help for one command. */
export function commandUsage(name: string): string {
  const command = commandNamed(name);
  if (command === undefined) return usage;
  return `usage: layover-bot ${[command.names[0], command.synopsis].filter((part) => part !== '').join(' ')}\n${wrap(command.about, '  ')}`;
}

/**
 * The help that `argv` (the arguments after the program) asks for, or null when it asks for none: no command,
 * `help`, `--help` or `-h` give the list; `help <command>` or `<command> … --help` (or `-h`, before any `--`) give
 * that command's. An unknown command given with `--help` gets the list.
 */
export function helpFor(argv: readonly string[]): string | null {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return usage;
  if (first === 'help') return rest[0] === undefined ? usage : commandUsage(rest[0]);
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) return commandUsage(first);
  return null;
}
