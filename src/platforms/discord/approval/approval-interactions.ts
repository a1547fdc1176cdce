import {
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
  TextInputStyle,
  type APIInteractionResponse,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import twitterText from 'twitter-text';
import type { Logger } from '../../../logger.js';
import type { ComponentHandler, ComponentInteraction } from '../interactions/component-handler.js';
import type { InteractionResponder } from '../interactions/responders.js';
import { hasAnyPermission } from '../interactions/permissions.js';
import { replyLanguage, type ReplyLanguage } from '../interactions/reply-language.js';
import type { ApprovalStore, StoredDecision, StoredNotPosted } from './approval-store.js';
import { approvalTexts } from './approval-texts.js';
import {
  approvalCustomId,
  decidedMessage,
  decisionLine,
  notPostedLine,
  parseApprovalCustomId,
} from './draft-message.js';

/** The modal's text field (`custom_id`). */
const TEXT_FIELD = 'text';

function privately(content: string): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
  };
}

/** Whether the clicking member may decide: Manage Server (or Administrator) in that channel. */
function canDecide(interaction: ComponentInteraction): boolean {
  return hasAnyPermission(
    interaction.member?.permissions,
    PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator,
  );
}

/** The moderators' channel (`DISCORD_MOD_CHANNEL_ID`) and a way to learn the guild it belongs to. */
export interface ModeratorsPlace {
  readonly channelId: string;
  /** The channel's guild id (looked up once from Discord), or null when it cannot be known. */
  readonly guildId: () => Promise<string | null>;
}

/**
 * Whether a click came from the moderators' channel, in that channel's own guild: the channel of the
 * interaction and of the clicked message must be that channel, and the interaction's guild its guild.
 */
async function fromModeratorsChannel(
  interaction: ComponentInteraction,
  place: ModeratorsPlace | null,
  logger: Logger,
): Promise<boolean> {
  if (place === null || interaction.guild_id === undefined) return false;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (channelId !== place.channelId) return false;
  if (interaction.message !== undefined && interaction.message.channel_id !== place.channelId) return false;
  let guildId: string | null;
  try {
    guildId = await place.guildId();
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'could not look up the moderators’ channel; the decision is refused',
    );
    return false;
  }
  return guildId !== null && guildId === interaction.guild_id;
}

function who(interaction: ComponentInteraction): string {
  const user = interaction.member?.user ?? interaction.user;
  return user?.global_name ?? user?.username ?? 'a moderator';
}

/** The text typed into the edit modal, wherever Discord nests it (a label, or the older action row). */
function submittedText(interaction: APIModalSubmitInteraction): string | null {
  for (const component of interaction.data.components) {
    const inner =
      component.type === ComponentType.Label
        ? [component.component]
        : component.type === ComponentType.ActionRow
          ? component.components
          : [];
    for (const field of inner) {
      if (field.type === ComponentType.TextInput && field.custom_id === TEXT_FIELD) return field.value;
    }
  }
  return null;
}

/**
 * The answer to a click on a draft already settled: what was decided (and, for an approved draft the X side did
 * not post, why not), or that the X side settled it first (replaced, withdrawn, given up, failed).
 */
function settledAnswer(
  decision: StoredDecision,
  notPosted: StoredNotPosted | null,
  language: ReplyLanguage,
): string {
  const t = approvalTexts[language];
  switch (decision.state) {
    case 'replaced':
      return t.replacedDraft;
    case 'withdrawn':
      return t.withdrawnDraft;
    case 'givenUp':
      return t.givenUpDraft(decision.reason);
    case 'failed':
      return t.failedDraft;
    case 'approved':
      if (notPosted !== null) {
        return t.alreadyDecided(`${decisionLine(decision, language)} ${notPostedLine(notPosted, language)}`);
      }
      return t.alreadyDecided(decisionLine(decision, language));
    case 'skipped':
      return t.alreadyDecided(decisionLine(decision, language));
  }
}

/** A moderator's note when an edited text is not valid on X as it is (the X side will shorten it by rule). */
function editNote(text: string, language: ReplyLanguage): string | undefined {
  const parsed = twitterText.parseTweet(text);
  if (parsed.valid) return undefined;
  return approvalTexts[language].tooLongNote(parsed.weightedLength);
}

/**
 * Handles the draft buttons and the edit modal (`xapproval:*` custom ids) for both transports, through the one
 * dispatcher. Only members with Manage Server decide; the first decision wins (stored with HSETNX) and any later
 * click is told "already decided" (or, for a draft the X side settled first, that it was replaced, withdrawn,
 * given up, or failed). Approve and Skip, and a submitted edit, update the draft message in place (its buttons
 * removed), and once that answer has reached Discord, the message is brought up to date with the record if the X
 * side settled the draft meanwhile ({@link showRecord}); Edit opens a modal holding the current text.
 */
export function approvalComponentHandler(options: {
  readonly store: ApprovalStore;
  readonly logger: Logger;
  /** Where decisions count: the moderators' channel and its guild; null when none is configured. */
  readonly moderators: ModeratorsPlace | null;
}): ComponentHandler {
  const { store, logger } = options;
  return async (interaction, responder) => {
    const parsed = parseApprovalCustomId(interaction.data.custom_id);
    if (parsed === null) return false;
    const { action, draftId } = parsed;
    const language = replyLanguage(interaction.locale);
    const t = approvalTexts[language];
    if (!(await fromModeratorsChannel(interaction, options.moderators, logger))) {
      await responder.respond(privately(t.wrongChannel));
      return true;
    }
    if (!canDecide(interaction)) {
      await responder.respond(privately(t.notAllowed));
      return true;
    }
    const draft = await store.get(draftId);
    if (draft === null) {
      await responder.respond(privately(t.unknownDraft));
      return true;
    }
    if (draft.decision !== null) {
      await responder.respond(privately(settledAnswer(draft.decision, draft.notPosted, language)));
      return true;
    }

    if (action === 'edit') {
      await responder.respond({
        type: InteractionResponseType.Modal,
        data: {
          custom_id: approvalCustomId('edited', draftId),
          title: t.modalTitle,
          components: [
            {
              type: ComponentType.Label,
              label: t.fieldLabel,
              description: t.fieldDescription,
              component: {
                type: ComponentType.TextInput,
                custom_id: TEXT_FIELD,
                style: TextInputStyle.Paragraph,
                value: draft.text,
                required: true,
                max_length: 1000,
              },
            },
          ],
        },
      });
      return true;
    }

    let decision: StoredDecision;
    let note: string | undefined;
    if (action === 'edited') {
      if (interaction.type !== InteractionType.ModalSubmit) return false;
      const text = submittedText(interaction)?.trim() ?? '';
      if (text === '') {
        await responder.respond(privately(t.emptyEdit));
        return true;
      }
      decision = { state: 'approved', text, by: who(interaction), at: Date.now() };
      note = editNote(text, language);
    } else if (action === 'approve') {
      decision = { state: 'approved', by: who(interaction), at: Date.now() };
    } else {
      decision = { state: 'skipped', by: who(interaction), at: Date.now() };
    }
    const result = await store.decide(draftId, decision);
    if (result === null) {
      await responder.respond(privately(t.unknownDraft));
      return true;
    }
    if (!result.won) {
      await responder.respond(privately(settledAnswer(result.decision, null, language)));
      return true;
    }
    logger.info({ draft: draft.key, decision: decision.state, by: decision.by }, 'X draft decided');
    const shown = decidedMessage(draft.text, draft.milestoneIds, decision, language, { note });
    await responder.respond({
      type: InteractionResponseType.UpdateMessage,
      data: { ...shown, allowed_mentions: { parse: [] } },
    });
    await showRecord({ store, logger, responder, draftId, shown: shown.content, language, note });
    return true;
  };
}

/**
 * Once a winning click's answer has reached Discord, makes the draft message show what is stored. The X side may
 * settle the draft (approved, but not posted after all) between the click's decision and Discord showing the
 * answer, and its edit of the message may reach Discord first, only to be covered by the answer. So the click
 * reads the record again after its answer arrived and, when the record says more than the answer did, edits the
 * message to match. Whichever edit comes last shows the record: the X side's is made after it recorded why, the
 * click's after its answer arrived. A failure is logged: the record stands, and later clicks are told it.
 */
async function showRecord(at: {
  readonly store: ApprovalStore;
  readonly logger: Logger;
  readonly responder: InteractionResponder;
  readonly draftId: string;
  /** The content the click answered with. */
  readonly shown: string;
  readonly language: ReplyLanguage;
  readonly note: string | undefined;
}): Promise<void> {
  const { store, logger, responder, draftId, language, note } = at;
  try {
    await responder.answered();
    const stored = await store.get(draftId);
    if (stored?.decision == null) return;
    const message = decidedMessage(stored.text, stored.milestoneIds, stored.decision, language, {
      note,
      notPosted: stored.notPosted,
    });
    if (message.content === at.shown) return;
    await responder.editOriginal({ ...message, allowed_mentions: { parse: [] } });
    logger.info({ draft: stored.key }, 'X draft message brought up to date after the click that decided it');
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error), draftId },
      'could not bring an X draft message up to date after the click that decided it',
    );
  }
}
