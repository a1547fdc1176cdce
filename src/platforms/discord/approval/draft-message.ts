import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
} from 'discord-api-types/v10';
import type { ReplyLanguage } from '../interactions/reply-language.js';
import type { StoredDecision } from './approval-store.js';
import { approvalTexts } from './approval-texts.js';

/** `custom_id`s of the draft's buttons and modal: `xapproval:<action>:<draft id>`. */
export const APPROVAL_ID_PREFIX = 'xapproval';
export type ApprovalAction = 'approve' | 'edit' | 'skip' | 'edited';

export function approvalCustomId(action: ApprovalAction, draftId: string): string {
  return `${APPROVAL_ID_PREFIX}:${action}:${draftId}`;
}

/** Reads a `custom_id` of ours; null for anything else. */
export function parseApprovalCustomId(
  customId: string,
): { readonly action: ApprovalAction; readonly draftId: string } | null {
  const match = /^xapproval:(approve|edit|skip|edited):([0-9a-f]{20})$/.exec(customId);
  if (match === null) return null;
  return { action: match[1] as ApprovalAction, draftId: match[2] as string };
}

function quoted(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function milestoneLine(milestoneIds: readonly string[], language: ReplyLanguage): string {
  return approvalTexts[language].milestones(milestoneIds.map((id) => `\`${id}\``).join(', '));
}

/**
 * The draft as the moderators first see it: the text quoted, its milestones, and the three buttons. In English:
 * the bot posts it on its own, with no one's locale to follow (the answers to the buttons follow the clicker's).
 */
export function draftMessage(
  draftId: string,
  text: string,
  milestoneIds: readonly string[],
): { content: string; components: APIActionRowComponent<APIComponentInMessageActionRow>[] } {
  const t = approvalTexts.en;
  return {
    content: [t.waiting, quoted(text), milestoneLine(milestoneIds, 'en')].join('\n'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: t.approve,
            custom_id: approvalCustomId('approve', draftId),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: t.edit,
            custom_id: approvalCustomId('edit', draftId),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: t.skip,
            custom_id: approvalCustomId('skip', draftId),
          },
        ],
      },
    ],
  };
}

/** One line saying what was decided and by whom, in `language`. */
export function decisionLine(decision: StoredDecision, language: ReplyLanguage): string {
  const t = approvalTexts[language];
  if (decision.state === 'replaced') {
    return t.replaced(
      decision.heldBack.length === 0 ? null : decision.heldBack.map((id) => `\`${id}\``).join(', '),
    );
  }
  if (decision.state === 'skipped') return t.skipped(decision.by);
  return decision.text === undefined ? t.approved(decision.by) : t.approvedWithEdit(decision.by);
}

/**
 * The draft once decided: the text that goes out (or the skipped or replaced one), the decision, and no buttons;
 * in the language of the moderator who decided (it answers their click), in English when the bot replaced it.
 */
export function decidedMessage(
  text: string,
  milestoneIds: readonly string[],
  decision: StoredDecision,
  language: ReplyLanguage,
  note?: string,
): { content: string; components: [] } {
  const t = approvalTexts[language];
  const header =
    decision.state === 'skipped'
      ? t.skippedHeader
      : decision.state === 'replaced'
        ? t.replacedHeader
        : t.approvedHeader;
  const full = decision.state === 'approved' && decision.text !== undefined ? decision.text : text;
  // Leave room for the lines after it: the decision must stay visible.
  const shown = full.length > 1500 ? `${full.slice(0, 1500)}…` : full;
  return {
    content: [
      header,
      quoted(shown),
      milestoneLine(milestoneIds, language),
      decisionLine(decision, language),
      ...(note ? [note] : []),
    ]
      .join('\n')
      .slice(0, 2000),
    components: [],
  };
}
