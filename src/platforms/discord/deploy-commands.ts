import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';

export interface DeployTarget {
  readonly applicationId: string;
  /** Register for one server only (instant; for development); global otherwise (may take up to an hour to show). */
  readonly guildId?: string | undefined;
}

/**
 * Registers the slash commands, replacing whatever the application had (a bulk PUT, so removed commands go away).
 * Returns how many Discord now holds.
 */
export async function deployCommands(
  rest: REST,
  definitions: readonly object[],
  target: DeployTarget,
): Promise<number> {
  const route =
    target.guildId === undefined
      ? Routes.applicationCommands(target.applicationId)
      : Routes.applicationGuildCommands(target.applicationId, target.guildId);
  const registered = (await rest.put(route, { body: definitions })) as unknown[];
  return registered.length;
}
