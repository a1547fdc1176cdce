import { processEnv, readDotEnv } from './env.js';
import { CommandError } from './command-error.js';

const usage = `layover <command>

commands:
  start                      run the bot as the settings say (ROLES, credentials; console without them)
  demo                       replay the bundled SAMPLE history of V's Layover and print the posts
  replay --config <file> --snapshots <file.jsonl> [--json]
                             dry-run a whole history through the real pipeline
  ingest <file.jsonl|file.json|file.csv> [--dry-run]
                             validate a snapshot file, then enqueue it on the live snapshots queue
  failed [--limit <n>] [--json] | failed --retry <job id|all>
                             list failed snapshot jobs (id, reason, payload summary), or run them again
  milestones [--artist <id>] [--json]
                             list what the live bot announced, with each destination's state
  state show --artist <id> [--json] | state reset --artist <id> --yes
                             show one artist's stored state, or delete it (its next snapshot is a baseline)
  preview [--config <file>] [--out <dir>] [--font <file or folder>] [--snapshots <file.jsonl>]
                             render every kind, in every language, with cards and charts (SAMPLE data;
                             charts from --snapshots when given)
  sources check | sources parse <file> [--kind kworb|spotify|json] [--artist <id>]
                             fetch each configured source once and show what matched and how; or parse a
                             saved page or answer as its source would
  commands:deploy [--guild <id>]
                             register the Discord slash commands, globally or in one server`;

async function run(argv: readonly string[]): Promise<void> {
  readDotEnv();
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { startCommand } = await import('./main.js');
      return startCommand(processEnv());
    }
    case 'commands:deploy':
    case 'deploy-commands': {
      const { deployCommandsCommand } = await import('./cli/deploy-commands-command.js');
      return deployCommandsCommand(rest, processEnv());
    }
    case 'demo':
    case 'replay': {
      const { replayCommand } = await import('./cli/replay-command.js');
      return replayCommand(rest, command, processEnv());
    }
    case 'ingest': {
      const { ingestCommand } = await import('./cli/ingest-command.js');
      await ingestCommand(rest, processEnv());
      return;
    }
    case 'failed': {
      const { failedCommand } = await import('./cli/failed-command.js');
      return failedCommand(rest, processEnv());
    }
    case 'milestones': {
      const { milestonesCommand } = await import('./cli/milestones-command.js');
      return milestonesCommand(rest, processEnv());
    }
    case 'state': {
      const { stateCommand } = await import('./cli/state-command.js');
      return stateCommand(rest, processEnv());
    }
    case 'preview': {
      const { previewCommand } = await import('./cli/preview-command.js');
      return previewCommand(rest, processEnv());
    }
    case 'sources': {
      const { sourcesCommand } = await import('./cli/sources-command.js');
      return sourcesCommand(rest, processEnv());
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${usage}\n`);
      return;
    default:
      throw new CommandError(`unknown command "${command}"\n\n${usage}`, 2);
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CommandError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
