import { loadSettings, SettingsError, type Settings } from './env.js';

/** A failure that ends a command with a message and an exit code, without a stack trace. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Validates the settings for a command; invalid settings end it with exit code 2 and every problem listed. */
export function settingsForCommand(env: Record<string, string | undefined>): Settings {
  try {
    return loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) throw new CommandError(error.message, 2);
    throw error;
  }
}
