import type { REST } from '@discordjs/rest';
import {
  Routes,
  type APIInteraction,
  type APIInteractionResponse,
  type RESTPatchAPIInteractionOriginalResponseJSONBody,
} from 'discord-api-types/v10';

/** How a transport delivers the answers to one interaction. */
export interface InteractionResponder {
  /** The first (and only) interaction response: a message, a deferral or a PONG. */
  respond(response: APIInteractionResponse): Promise<void>;
  /** Edits the original response (after a deferral). */
  editOriginal(body: RESTPatchAPIInteractionOriginalResponseJSONBody): Promise<void>;
}

function editThroughWebhook(rest: REST, interaction: APIInteraction) {
  return async (body: RESTPatchAPIInteractionOriginalResponseJSONBody): Promise<void> => {
    await rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token, '@original'), {
      body,
      auth: false,
    });
  };
}

/** Gateway interactions: the first response goes to the interaction callback endpoint. */
export function restResponder(rest: REST, interaction: APIInteraction): InteractionResponder {
  return {
    respond: async (response) => {
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: response,
        auth: false,
      });
    },
    editOriginal: editThroughWebhook(rest, interaction),
  };
}

/**
 * HTTP interactions: the first response is the HTTP response body (`first` resolves with it); later edits go
 * through the webhook endpoint.
 */
export function httpResponder(
  rest: REST,
  interaction: APIInteraction,
): InteractionResponder & { readonly first: Promise<APIInteractionResponse> } {
  let resolve: (response: APIInteractionResponse) => void = () => undefined;
  const first = new Promise<APIInteractionResponse>((r) => {
    resolve = r;
  });
  return {
    first,
    respond: (response) => {
      resolve(response);
      return Promise.resolve();
    },
    editOriginal: editThroughWebhook(rest, interaction),
  };
}
