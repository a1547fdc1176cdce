import { processEnv, readDotEnv } from './env.js';
import { CommandError } from './command-error.js';
import { helpFor, usage } from './cli/help.js';

async function run(argv: readonly string[]): Promise<void> {
  const help = helpFor(argv);
  if (help !== null) {
    process.stdout.write(`${help}\n`);
    return;
  }
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
