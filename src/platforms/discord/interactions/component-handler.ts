import type { APIMessageComponentInteraction, APIModalSubmitInteraction } from 'discord-api-types/v10';
import type { InteractionResponder } from './responders.js';

/** A button / select click or a modal submission. */
export type ComponentInteraction = APIMessageComponentInteraction | APIModalSubmitInteraction;

/**
 * Handles the component and modal-submit interactions whose `custom_id` it owns: answers them (exactly one first
 * response) and resolves true, or resolves false without answering for a `custom_id` that is not its own.
 */
export type ComponentHandler = (
  interaction: ComponentInteraction,
  responder: InteractionResponder,
) => Promise<boolean>;
