import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
} from 'discord-api-types/v10';
import type { StoredDecision } from './approval-store.js';

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

function milestoneLine(milestoneIds: readonly string[]): string {
  return `Milestones: ${milestoneIds.map((id) => `\`${id}\``).join(', ')}`;
}

/** The draft as the moderators first see it: the text quoted, its milestones, and the three buttons. */
export function draftMessage(
  draftId: string,
  text: string,
  milestoneIds: readonly string[],
): { content: string; components: APIActionRowComponent<APIComponentInMessageActionRow>[] } {
  return {
    content: ['**X post waiting for approval**', quoted(text), milestoneLine(milestoneIds)].join('\n'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: 'Approve',
            custom_id: approvalCustomId('approve', draftId),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: 'Edit',
            custom_id: approvalCustomId('edit', draftId),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: 'Skip',
            custom_id: approvalCustomId('skip', draftId),
          },
        ],
      },
    ],
  };
}

/** One line saying what was decided and by whom. */
export function decisionLine(decision: StoredDecision): string {
  const by = decision.by === undefined ? '' : ` by ${decision.by}`;
  if (decision.state === 'skipped') return `Skipped${by}: nothing goes to X.`;
  return decision.text === undefined ? `Approved${by}.` : `Approved${by}, with an edit.`;
}

/** The draft once decided: the text that goes out (or the skipped one), the decision, and no buttons. */
export function decidedMessage(
  text: string,
  milestoneIds: readonly string[],
  decision: StoredDecision,
  note?: string,
): { content: string; components: [] } {
  const header = decision.state === 'skipped' ? '**X post skipped**' : '**X post approved**';
  const full = decision.state === 'approved' && decision.text !== undefined ? decision.text : text;
  // Leave room for the lines after it: the decision must stay visible.
  const shown = full.length > 1500 ? `${full.slice(0, 1500)}…` : full;
  return {
    content: [
      header,
      quoted(shown),
      milestoneLine(milestoneIds),
      decisionLine(decision),
      ...(note ? [note] : []),
    ]
      .join('\n')
      .slice(0, 2000),
    components: [],
  };
}
