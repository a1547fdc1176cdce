import {
  InteractionResponseType,
  MessageFlags,
  type APIInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import type { Logger } from '../../../logger.js';
import { fitMessage } from '../message-limits.js';
import type { CommandReply } from './command-types.js';
import type { InteractionResponder } from './responders.js';

/** Where one interaction's answer stands. `replied` is set only once Discord accepted an answer. */
export type AnswerState = 'new' | 'deferred' | 'replied';

/** The answering side of one command interaction, in order: deferral, the reply, or a short text. */
export interface CommandAnswers {
  /** Acknowledges now (a "thinking…" state); a no-op once acknowledged. */
  defer(ephemeral: boolean): Promise<void>;
  /**
   * Sends the answer: the first response, or the edit of a deferred one. When Discord refuses it, a short
   * `fallbackText` goes instead (a plain edit, else a follow-up), so the interaction never stays on "thinking…".
   */
  reply(answer: CommandReply): Promise<void>;
  /** Tells the user `content` (ephemeral) unless an answer already went out; never rejects. */
  tell(content: string): Promise<void>;
  /** Resolves once every step asked for so far has finished. */
  settled(): Promise<void>;
  readonly state: AnswerState;
}

/** The message part of an answer, within Discord's limits, with mentions off and the ephemeral flag when asked. */
export function toMessage(reply: CommandReply): APIInteractionResponseCallbackData {
  const files = reply.files ?? [];
  // Handlers page long lists themselves; this only makes sure nothing goes over Discord's limits.
  const fitted = fitMessage({
    content: reply.content,
    embeds: reply.embeds === undefined ? undefined : [...reply.embeds],
  });
  return {
    ...(fitted.content === undefined ? {} : { content: fitted.content }),
    ...(fitted.embeds === undefined ? {} : { embeds: fitted.embeds }),
    ...(reply.components === undefined ? {} : { components: [...reply.components] }),
    ...(files.length === 0
      ? {}
      : {
          attachments: files.map((file, id) => ({
            id,
            filename: file.name,
            description: [...file.description].slice(0, 1024).join(''),
          })),
        }),
    allowed_mentions: { parse: [] },
    ...(reply.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Answers one interaction through `responder`. Steps run one after another, and a failed step does not stop
 * the next one (the error reply still goes out after a failed edit).
 */
export function commandAnswers(options: {
  readonly responder: InteractionResponder;
  readonly logger: Logger;
  /** Whether answers are ephemeral unless a reply says otherwise. */
  readonly privately: boolean;
  /** What the user sees when Discord refused the real answer. */
  readonly fallbackText: string;
}): CommandAnswers {
  const { responder, logger } = options;
  let state: AnswerState = 'new';
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = chain.then(step);
    chain = run.catch(() => undefined);
    return run;
  };

  const sendDeferral = async (ephemeral: boolean) => {
    await responder.respond({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: ephemeral ? { flags: MessageFlags.Ephemeral } : {},
    });
    state = 'deferred';
  };

  /** A plain text, by every way still open: a first response, an edit of the original, a follow-up. */
  const shortText = async (content: string, ephemeral: boolean): Promise<void> => {
    const data = toMessage({ content, ephemeral });
    const { flags: _flags, ...edit } = data;
    const attempts: (readonly [string, () => Promise<void>])[] = [];
    if (state === 'new') {
      attempts.push([
        'first response',
        () => responder.respond({ type: InteractionResponseType.ChannelMessageWithSource, data }),
      ]);
    }
    attempts.push(
      ['edit', () => responder.editOriginal({ ...edit, embeds: [], components: [], attachments: [] })],
      ['follow-up', () => responder.followUp(data)],
    );
    for (const [how, attempt] of attempts) {
      try {
        await attempt();
        state = 'replied';
        return;
      } catch (error) {
        logger.warn({ err: reason(error), how }, 'interaction answer refused; trying the next way');
      }
    }
    logger.error('could not answer the interaction in any way');
  };

  return {
    get state() {
      return state;
    },
    defer: (ephemeral) =>
      serial(async () => {
        if (state === 'new') await sendDeferral(ephemeral);
      }),
    reply: (answer) =>
      serial(async () => {
        if (state === 'replied') throw new Error('replied twice to one interaction');
        const ephemeral = answer.ephemeral ?? options.privately;
        const data = toMessage({ ...answer, ephemeral });
        const files = (answer.files ?? []).map((f) => ({
          name: f.name,
          data: f.data,
          contentType: f.contentType,
        }));
        try {
          // Uploads go through the webhook edit: defer first when nothing was sent yet.
          if (files.length > 0 && state === 'new') await sendDeferral(ephemeral);
          if (state === 'new') {
            await responder.respond({ type: InteractionResponseType.ChannelMessageWithSource, data });
          } else {
            const { flags: _flags, ...edit } = data;
            await responder.editOriginal(edit, files);
          }
          state = 'replied';
        } catch (error) {
          logger.warn({ err: reason(error) }, 'Discord refused an interaction answer; sending a short text');
          await shortText(options.fallbackText, ephemeral);
        }
      }),
    settled: () => serial(() => Promise.resolve()),
    tell: (content) =>
      serial(async () => {
        if (state !== 'replied') await shortText(content, true);
      }).catch(() => undefined),
  };
}
