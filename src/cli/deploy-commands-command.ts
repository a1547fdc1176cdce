import { parseArgs } from 'node:util';
import { commandDefinitions, loadCommands } from '../../commands/index.js';
import { createDiscordRest } from '../platforms/discord/discord-rest.js';
import { deployCommands } from '../platforms/discord/deploy-commands.js';
import { CommandError, settingsForCommand } from '../command-error.js';

/** `npm run commands:deploy [-- --guild <id>]`: registers the slash commands globally, or in one server. */
export async function deployCommandsCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  let guild: string | undefined;
  try {
    guild = parseArgs({ args: [...argv], options: { guild: { type: 'string' } }, strict: true }).values.guild;
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\nusage: commands:deploy [--guild <id>]`, 2);
  }
  const settings = settingsForCommand(env);
  if (settings.DISCORD_TOKEN === undefined || settings.DISCORD_APPLICATION_ID === undefined) {
    throw new CommandError('commands:deploy needs DISCORD_TOKEN and DISCORD_APPLICATION_ID', 2);
  }
  if (guild !== undefined && !/^\d{17,20}$/.test(guild))
    throw new CommandError('--guild must be a server id', 2);
  loadCommands(); // checks every definition and handler before anything is sent
  const rest = createDiscordRest({ api: settings.DISCORD_API_URL, token: settings.DISCORD_TOKEN });
  const count = await deployCommands(rest, commandDefinitions, {
    applicationId: settings.DISCORD_APPLICATION_ID,
    guildId: guild,
  });
  process.stdout.write(
    `registered ${count} commands ${guild === undefined ? 'globally (they can take up to an hour to appear)' : `in server ${guild}`}\n`,
  );
}
