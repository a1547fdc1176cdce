import { checkCommands } from '../src/platforms/discord/interactions/check-commands.js';
import { commandModule, type CommandModule } from '../src/platforms/discord/interactions/command-types.js';
import { layoverModHandlers } from './handlers/layover-mod.handlers.js';
import { layoverAutocomplete } from './handlers/layover.autocomplete.js';
import { layoverHandlers } from './handlers/layover.handlers.js';
import { layoverModCommand } from './layover-mod.command.js';
import { layoverCommand } from './layover.command.js';
import type { LayoverServices } from './services.js';
import type { ComponentHandler } from '../src/platforms/discord/interactions/component-handler.js';
import { statusPagesHandler } from './handlers/status-pages.js';

/** The definitions alone, as `commands:deploy` registers them. */
export const commandDefinitions = [layoverCommand, layoverModCommand] as const;

/** Every slash command with its handlers, checked (throws {@link CommandDefinitionError} listing problems). */
export function loadCommands(): readonly CommandModule<LayoverServices>[] {
  return checkCommands([
    commandModule(layoverCommand, layoverHandlers, { ephemeral: ['why'], autocomplete: layoverAutocomplete }),
    // The album option of `/layover-mod board on` is completed like `/layover`'s.
    commandModule(layoverModCommand, layoverModHandlers, {
      ephemeral: true,
      autocomplete: layoverAutocomplete,
    }),
  ]);
}

/** The buttons that belong to the commands (e.g. the page buttons of `/layover status`). */
export function loadComponentHandlers(services: LayoverServices): readonly ComponentHandler[] {
  return [statusPagesHandler(services)];
}
