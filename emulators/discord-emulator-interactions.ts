import { autocompleteProblems, invalidFormBody, messageBodyProblems } from './discord-emulator-limits.js';

/**
 * Discord's side of interactions, as strict as Discord: each interaction is known by its token, takes exactly one
 * first response of a type allowed for its kind, and only then accepts edits of `@original` and follow-ups, each
 * within the message limits. Editing a deferred ("thinking…") response, or the first follow-up after it, replaces
 * the loading state; an interaction still deferred at the end is what a user sees as "thinking…" forever. A click
 * on a message's component (or a modal submitted from one) answered with UPDATE_MESSAGE (7), or acknowledged with
 * DEFERRED_UPDATE_MESSAGE (6), changes that message, as do the edits of `@original` after it.
 */

/** Response types each interaction type accepts (PING 1, command 2, component 3, autocomplete 4, modal 5). */
const allowedResponses: Readonly<Record<number, readonly number[]>> = {
  1: [1],
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

/** What Discord knows about one interaction. */
export interface EmulatedInteraction {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  /** For a component click, or a modal submitted from one: the id of the message it came from. */
  readonly messageId: string | null;
  /** The type of the accepted first response, or null before it. */
  responseType: number | null;
  /** The original response message as users see it (null before a message response). */
  original: Record<string, unknown> | null;
  /** True while a deferred response shows "thinking…". */
  thinking: boolean;
  readonly followUps: Record<string, unknown>[];
  /** Every refused request for this interaction, with Discord's answer. */
  readonly refusals: { readonly what: string; readonly status: number; readonly body: unknown }[];
}

/** A one-shot refusal of the next edit of `@original` for a token. */
export interface EditFault {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export interface InteractionAnswer {
  readonly status: number;
  readonly body: unknown;
}

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Changes the message `messageId` as an edit with `body` would (a no-op for a message Discord does not hold). */
export type MessageUpdate = (messageId: string, body: Record<string, unknown>) => void;

export class InteractionsEmulator {
  private readonly byToken = new Map<string, EmulatedInteraction>();
  private readonly editFaults = new Map<string, EditFault[]>();

  /** `updateMessage`: how an interaction's answer changes the message its component was on. */
  constructor(private readonly updateMessage: MessageUpdate = () => undefined) {}

  /** Discord creates an interaction (before sending it to the bot over HTTP or the gateway). */
  register(interaction: {
    readonly id: unknown;
    readonly token: unknown;
    readonly type: unknown;
    readonly message?: unknown;
  }): void {
    const token = String(interaction.token);
    if (this.byToken.has(token)) return;
    const type = Number(interaction.type);
    const message = asObject(interaction.message);
    this.byToken.set(token, {
      id: String(interaction.id),
      token,
      type,
      messageId: (type === 3 || type === 5) && typeof message.id === 'string' ? message.id : null,
      responseType: null,
      original: null,
      thinking: false,
      followUps: [],
      refusals: [],
    });
  }

  get(token: string): EmulatedInteraction | undefined {
    return this.byToken.get(token);
  }

  /** Refuses the next edit of `@original` for `token` (e.g. 400 50035 or 404 10008). */
  failNextEdit(token: string, fault: EditFault): void {
    const list = this.editFaults.get(token) ?? [];
    list.push(fault);
    this.editFaults.set(token, list);
  }

  private refuse(record: EmulatedInteraction | undefined, what: string, answer: InteractionAnswer) {
    record?.refusals.push({ what, ...answer });
    return answer;
  }

  /** The first response, by callback (gateway) or as the HTTP answer to the interaction POST. */
  respond(token: string, id: string | null, response: unknown): InteractionAnswer {
    const record = this.byToken.get(token);
    if (record === undefined || (id !== null && id !== record.id)) {
      return this.refuse(record, 'callback', {
        status: 404,
        body: { message: 'Unknown interaction', code: 10062 },
      });
    }
    if (record.responseType !== null) {
      return this.refuse(record, 'callback', {
        status: 400,
        body: { message: 'Interaction has already been acknowledged.', code: 40060 },
      });
    }
    const r = asObject(response);
    const type = Number(r.type);
    if (!(allowedResponses[record.type] ?? []).includes(type)) {
      return this.refuse(record, 'callback', {
        status: 400,
        body: invalidFormBody([
          `type: response type ${type} is not valid for interaction type ${record.type}`,
        ]),
      });
    }
    const problems =
      type === 8 ? autocompleteProblems(r.data) : type === 4 || type === 7 ? messageBodyProblems(r.data) : [];
    if (problems.length > 0) {
      return this.refuse(record, 'callback', { status: 400, body: invalidFormBody(problems) });
    }
    record.responseType = type;
    if (type === 4 || type === 7) record.original = asObject(r.data);
    if (type === 5) record.thinking = true;
    if (type === 7 && record.messageId !== null) this.updateMessage(record.messageId, asObject(r.data));
    return { status: 204, body: undefined };
  }

  /** PATCH /webhooks/:app/:token/messages/@original. */
  editOriginal(token: string, body: unknown): InteractionAnswer {
    const record = this.byToken.get(token);
    if (record === undefined) {
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    }
    if (record.responseType === null || record.responseType === 8 || record.responseType === 1) {
      return this.refuse(record, 'edit', { status: 404, body: { message: 'Unknown Message', code: 10008 } });
    }
    const fault = this.editFaults.get(token)?.shift();
    if (fault !== undefined) {
      return this.refuse(record, 'edit', {
        status: fault.status,
        body: { message: fault.message, code: fault.code },
      });
    }
    const problems = messageBodyProblems(body);
    if (problems.length > 0)
      return this.refuse(record, 'edit', { status: 400, body: invalidFormBody(problems) });
    record.original = { ...(record.original ?? {}), ...asObject(body) };
    record.thinking = false;
    if ((record.responseType === 6 || record.responseType === 7) && record.messageId !== null) {
      this.updateMessage(record.messageId, asObject(body));
    }
    return { status: 200, body: record.original };
  }

  /** POST /webhooks/:app/:token: a follow-up; the first one after a deferral replaces "thinking…". */
  followUp(token: string, body: unknown): InteractionAnswer {
    const record = this.byToken.get(token);
    if (record === undefined || record.responseType === null) {
      return this.refuse(record, 'follow-up', {
        status: 404,
        body: { message: 'Unknown Webhook', code: 10015 },
      });
    }
    const problems = messageBodyProblems(body);
    if (problems.length > 0) {
      return this.refuse(record, 'follow-up', { status: 400, body: invalidFormBody(problems) });
    }
    const message = asObject(body);
    record.followUps.push(message);
    if (record.thinking) {
      record.original = message;
      record.thinking = false;
    }
    return { status: 200, body: message };
  }
}
