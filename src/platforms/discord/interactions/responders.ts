import type { RawFile, REST } from '@discordjs/rest';
import {
  Routes,
  type APIInteraction,
  type APIInteractionResponse,
  type RESTPatchAPIInteractionOriginalResponseJSONBody,
  type RESTPostAPIInteractionFollowupJSONBody,
} from 'discord-api-types/v10';

/** How a transport delivers the answers to one interaction. */
export interface InteractionResponder {
  /** The first (and only) interaction response: a message, a deferral or a PONG. */
  respond(response: APIInteractionResponse): Promise<void>;
  /** Edits the original response (after a deferral), uploading `files` as `files[0..]` (multipart) when given. */
  editOriginal(
    body: RESTPatchAPIInteractionOriginalResponseJSONBody,
    files?: readonly RawFile[],
  ): Promise<void>;
  /** A follow-up message (after the first response); the first one after a deferral replaces "thinking…". */
  followUp(body: RESTPostAPIInteractionFollowupJSONBody): Promise<void>;
  /**
   * Resolves once the first response has reached Discord (Discord accepted the callback, or the HTTP answer went
   * out); never, when it could not be given.
   */
  answered(): Promise<void>;
}

function editThroughWebhook(rest: REST, interaction: APIInteraction) {
  return async (
    body: RESTPatchAPIInteractionOriginalResponseJSONBody,
    files: readonly RawFile[] = [],
  ): Promise<void> => {
    await rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token, '@original'), {
      body,
      auth: false,
      ...(files.length === 0 ? {} : { files: [...files] }),
    });
  };
}

function followUpThroughWebhook(rest: REST, interaction: APIInteraction) {
  return async (body: RESTPostAPIInteractionFollowupJSONBody): Promise<void> => {
    await rest.post(Routes.webhook(interaction.application_id, interaction.token), { body, auth: false });
  };
}

/** Gateway interactions: the first response goes to the interaction callback endpoint. */
export function restResponder(rest: REST, interaction: APIInteraction): InteractionResponder {
  let markAnswered: () => void = () => undefined;
  const answered = new Promise<void>((r) => {
    markAnswered = r;
  });
  return {
    respond: async (response) => {
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: response,
        auth: false,
      });
      markAnswered();
    },
    editOriginal: editThroughWebhook(rest, interaction),
    followUp: followUpThroughWebhook(rest, interaction),
    answered: () => answered,
  };
}

/**
 * HTTP interactions: the first response is the HTTP response body (`first` resolves with it); later edits and
 * follow-ups go through the webhook endpoints, but only once the route says the HTTP answer went out
 * (`delivered`): before that, Discord knows no original message to edit.
 */
export function httpResponder(
  rest: REST,
  interaction: APIInteraction,
): InteractionResponder & { readonly first: Promise<APIInteractionResponse>; delivered(): void } {
  let resolve: (response: APIInteractionResponse) => void = () => undefined;
  const first = new Promise<APIInteractionResponse>((r) => {
    resolve = r;
  });
  let markDelivered: () => void = () => undefined;
  const sent = new Promise<void>((r) => {
    markDelivered = r;
  });
  const edit = editThroughWebhook(rest, interaction);
  const followUp = followUpThroughWebhook(rest, interaction);
  let answered = false;
  return {
    first,
    delivered: () => markDelivered(),
    respond: (response) => {
      if (answered) return Promise.reject(new Error('the HTTP answer to this interaction was already given'));
      answered = true;
      resolve(response);
      return Promise.resolve();
    },
    editOriginal: async (body, files) => {
      await sent;
      await edit(body, files);
    },
    followUp: async (body) => {
      await sent;
      await followUp(body);
    },
    answered: () => sent,
  };
}
