import type { REST } from '@discordjs/rest';
import type { APIInteraction } from 'discord-api-types/v10';
import type { Logger } from '../logger.js';
import type { DispatchInteraction } from '../platforms/discord/interactions/dispatch-interaction.js';
import { httpResponder } from '../platforms/discord/interactions/responders.js';
import {
  interactionPublicKey,
  verifyInteractionSignature,
} from '../platforms/discord/interactions/verify-signature.js';
import type { RouteModule } from './server.js';

export interface InteractionsRouteOptions {
  /** `DISCORD_PUBLIC_KEY`: the application's hex Ed25519 public key. */
  readonly publicKey: string;
  readonly dispatch: DispatchInteraction;
  /** For edits after a deferral (webhook endpoints; no bot token needed). */
  readonly rest: REST;
  readonly logger: Logger;
  /** For tests: the clock the timestamp is checked against. */
  readonly now?: () => number;
}

/**
 * `POST /interactions`: Discord HTTP interactions. The body is kept raw in this route's own scope,
 * because the signature covers the exact bytes; any verification failure is a 401. PING gets PONG; commands run
 * through the same dispatcher as the gateway, and the first answer (a message or a deferral) is the response.
 */
export function interactionsRoute(options: InteractionsRouteOptions): RouteModule {
  const key = interactionPublicKey(options.publicKey);
  const now = options.now ?? Date.now;
  return async (app) => {
    await app.register((scope, _opts, done) => {
      // Edits and follow-ups wait until the first answer has left: Discord knows no original message before.
      const delivered = new WeakMap<object, () => void>();
      scope.addHook('onResponse', (request, _reply, next) => {
        delivered.get(request)?.();
        next();
      });
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, next) =>
        next(null, body),
      );
      scope.post('/interactions', async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const signed = verifyInteractionSignature(
          key,
          { signature: header('x-signature-ed25519'), timestamp: header('x-signature-timestamp'), rawBody },
          now(),
        );
        if (!signed) return reply.code(401).send({ error: 'invalid request signature' });
        let interaction: APIInteraction;
        try {
          interaction = JSON.parse(rawBody.toString('utf8')) as APIInteraction;
        } catch {
          return reply.code(400).send({ error: 'body is not JSON' });
        }
        const responder = httpResponder(options.rest, interaction);
        delivered.set(request, () => responder.delivered());
        const finished = options.dispatch(interaction, responder).then(
          () => null,
          (error: unknown) => {
            options.logger.error({ err: String(error) }, 'interaction dispatch failed');
            return null;
          },
        );
        const first = await Promise.race([responder.first, finished]);
        if (first === null) return reply.code(500).send({ error: 'no answer' });
        return reply.code(200).send(first);
      });
      done();
    });
  };
}
