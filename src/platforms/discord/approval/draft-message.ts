import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
} from 'discord-api-types/v10';
import type { ReplyLanguage } from '../interactions/reply-language.js';
import type { NotPosted, UnpostedMilestone } from '../../approval-gate.js';
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

function idList(ids: readonly string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

/** Each milestone with its reason: `` `id`: reason; `id`: reason ``. */
function reasonList(milestones: readonly UnpostedMilestone[]): string {
  return milestones.map((m) => `\`${m.id}\`: ${m.reason}`).join('; ');
}

function milestoneLine(milestoneIds: readonly string[], language: ReplyLanguage): string {
  return approvalTexts[language].milestones(idList(milestoneIds));
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

/** One line saying why the X side will never post a draft, in `language`. */
export function notPostedLine(why: NotPosted, language: ReplyLanguage): string {
  const t = approvalTexts[language];
  switch (why.state) {
    case 'replaced':
      return t.replaced(why.heldBack.length === 0 ? null : idList(why.heldBack));
    case 'withdrawn':
      return t.withdrawn(why.heldBack.length === 0 ? null : reasonList(why.heldBack));
    case 'givenUp':
      return t.givenUp(why.reason);
    case 'failed':
      return t.failed(why.milestones.length === 0 ? null : reasonList(why.milestones));
  }
}

/** One line saying what was decided and by whom (or why the X side settled the draft), in `language`. */
export function decisionLine(decision: StoredDecision, language: ReplyLanguage): string {
  const t = approvalTexts[language];
  if (decision.state === 'skipped') return t.skipped(decision.by);
  if (decision.state === 'approved') {
    return decision.text === undefined ? t.approved(decision.by) : t.approvedWithEdit(decision.by);
  }
  return notPostedLine(decision, language);
}

function headerOf(decision: StoredDecision, notPosted: boolean, language: ReplyLanguage): string {
  const t = approvalTexts[language];
  switch (decision.state) {
    case 'approved':
      return notPosted ? t.approvedNotPostedHeader : t.approvedHeader;
    case 'skipped':
      return t.skippedHeader;
    case 'replaced':
      return t.replacedHeader;
    case 'withdrawn':
      return t.withdrawnHeader;
    case 'givenUp':
      return t.givenUpHeader;
    case 'failed':
      return t.failedHeader;
  }
}

/**
 * The draft once settled: the text that goes out (or the one that does not), the decision, and no buttons; in the
 * language of the moderator who decided (it answers their click), in English when the bot settled it. `notPosted`:
 * for an approved draft the X side then did not post, why (said after the decision). `note`: a last line.
 */
export function decidedMessage(
  text: string,
  milestoneIds: readonly string[],
  decision: StoredDecision,
  language: ReplyLanguage,
  extra: { readonly note?: string | undefined; readonly notPosted?: NotPosted | null } = {},
): { content: string; components: [] } {
  const notPosted = decision.state === 'approved' ? (extra.notPosted ?? null) : null;
  const full = decision.state === 'approved' && decision.text !== undefined ? decision.text : text;
  // Leave room for the lines after it: the decision must stay visible.
  const shown = full.length > 1500 ? `${full.slice(0, 1500)}…` : full;
  return {
    content: [
      headerOf(decision, notPosted !== null, language),
      quoted(shown),
      milestoneLine(milestoneIds, language),
      decisionLine(decision, language),
      ...(notPosted === null ? [] : [notPostedLine(notPosted, language)]),
      ...(extra.note ? [extra.note] : []),
    ]
      .join('\n')
      .slice(0, 2000),
    components: [],
  };
}
