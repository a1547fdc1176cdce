import type { Texts } from '../interactions/reply-language.js';
import { permissionName } from '../permission-names.js';

/** The texts of the X drafts in the moderators' channel: the messages, the buttons, the modal and the answers. */
export interface ApprovalTexts {
  readonly waiting: string;
  readonly approvedHeader: string;
  readonly skippedHeader: string;
  readonly replacedHeader: string;
  readonly withdrawnHeader: string;
  readonly givenUpHeader: string;
  readonly failedHeader: string;
  /** An approved draft the X side then did not post (its plan replaced, withdrawn, given up, or failed). */
  readonly approvedNotPostedHeader: string;
  readonly milestones: (ids: string) => string;
  readonly approve: string;
  readonly edit: string;
  readonly skip: string;
  /** `by` is the deciding moderator's name, when known. */
  readonly skipped: (by: string | undefined) => string;
  readonly approved: (by: string | undefined) => string;
  readonly approvedWithEdit: (by: string | undefined) => string;
  /** `heldBack`: the milestones left out of the new plan, as a list, when known. */
  readonly replaced: (heldBack: string | null) => string;
  /** The answer to a click on a replaced draft. */
  readonly replacedDraft: string;
  /** `heldBack`: the milestones that no longer go out, each with its reason, when known. */
  readonly withdrawn: (heldBack: string | null) => string;
  /** The answer to a click on a withdrawn draft. */
  readonly withdrawnDraft: string;
  /** `reason`: why the X side gave the post up, in English (as the ledger records it). */
  readonly givenUp: (reason: string) => string;
  /** The answer to a click on a draft whose post was given up. */
  readonly givenUpDraft: (reason: string) => string;
  /** `milestones`: the draft's milestones, each with the reason its publish job failed (or it was held back). */
  readonly failed: (milestones: string | null) => string;
  /** The answer to a click on a draft whose post failed (the reasons are on the draft, which may be long). */
  readonly failedDraft: string;
  readonly wrongChannel: string;
  readonly notAllowed: string;
  readonly unknownDraft: string;
  readonly alreadyDecided: (decision: string) => string;
  readonly modalTitle: string;
  readonly fieldLabel: string;
  readonly fieldDescription: string;
  readonly emptyEdit: string;
  readonly tooLongNote: (weightedLength: number) => string;
}

export const approvalTexts: Texts<ApprovalTexts> = {
  en: {
    waiting: '**X post waiting for approval**',
    approvedHeader: '**X post approved**',
    skippedHeader: '**X post skipped**',
    replacedHeader: '**X post replaced**',
    withdrawnHeader: '**X post withdrawn**',
    givenUpHeader: '**X post given up**',
    failedHeader: '**X post failed**',
    approvedNotPostedHeader: '**X post approved, not posted**',
    milestones: (ids) => `Milestones: ${ids}`,
    approve: 'Approve',
    edit: 'Edit',
    skip: 'Skip',
    skipped: (by) => `Skipped${by === undefined ? '' : ` by ${by}`}: nothing goes to X.`,
    approved: (by) => `Approved${by === undefined ? '' : ` by ${by}`}.`,
    approvedWithEdit: (by) => `Approved${by === undefined ? '' : ` by ${by}`}, with an edit.`,
    replaced: (heldBack) =>
      `Replaced by a new draft: ${heldBack === null ? 'some of its milestones' : heldBack} no longer go out ` +
      '(stale data, superseded by a higher milestone, or failed), so the post was planned again without them. ' +
      'Nothing goes to X from this draft.',
    replacedDraft:
      'This draft was replaced by a new one: the post was planned again without milestones that no longer go ' +
      'out. Nothing was decided here; decide on the new draft.',
    withdrawn: (heldBack) =>
      `Withdrawn: none of its milestones go out any more (${
        heldBack ?? 'stale data, or superseded by a higher ' + 'milestone'
      }), and no other post is planned in its place. Nothing goes to X from this draft.`,
    withdrawnDraft:
      'This draft was withdrawn: none of its milestones go out any more (stale data, or superseded by a higher ' +
      'milestone), and nothing replaces it. Nothing was decided here, and nothing goes to X.',
    givenUp: (reason) =>
      `Not posted: ${reason}. Its milestones are recorded as failed; nothing goes to X from this draft.`,
    givenUpDraft: (reason) =>
      `This X post was given up (${reason}): nothing was decided here, and nothing goes to X.`,
    failed: (milestones) =>
      `Failed: ${milestones ?? 'its milestones could not be posted'}. No other post is planned in its place, and ` +
      'nothing goes to X from this draft.',
    failedDraft:
      'This X post failed: its milestones could not be posted (the draft says why). Nothing was decided here, ' +
      'and nothing goes to X.',
    wrongChannel: 'X drafts are decided in the moderators’ channel only.',
    notAllowed: `Only members with ${permissionName('ManageGuild', 'en')} can decide on X drafts.`,
    unknownDraft: 'This draft is no longer known (it expired or was never ours).',
    alreadyDecided: (decision) => `Already decided: ${decision}`,
    modalTitle: 'Edit the X post',
    fieldLabel: 'Text to post on X',
    fieldDescription: 'Checked with X’s length rule; shortened by rule if too long.',
    emptyEdit: 'The edited text was empty; nothing was decided.',
    tooLongNote: (weighted) =>
      `Note: this text is ${weighted}/280 on X; it will be shortened by rule before posting.`,
  },
  ko: {
    waiting: '**승인을 기다리는 X 게시물**',
    approvedHeader: '**X 게시물 승인됨**',
    skippedHeader: '**X 게시물 건너뜀**',
    replacedHeader: '**X 게시물 대체됨**',
    withdrawnHeader: '**X 게시물 철회됨**',
    givenUpHeader: '**X 게시물 포기됨**',
    failedHeader: '**X 게시물 실패**',
    approvedNotPostedHeader: '**X 게시물 승인됨, 게시되지 않음**',
    milestones: (ids) => `마일스톤: ${ids}`,
    approve: '승인',
    edit: '수정',
    skip: '건너뛰기',
    skipped: (by) =>
      `${by === undefined ? '' : `${by} 님이 `}건너뛰었습니다: X에는 아무것도 올리지 않습니다.`,
    approved: (by) => `${by === undefined ? '' : `${by} 님이 `}승인했습니다.`,
    approvedWithEdit: (by) => `${by === undefined ? '' : `${by} 님이 `}수정해서 승인했습니다.`,
    replaced: (heldBack) =>
      `새 초안으로 대체되었습니다: ${heldBack === null ? '일부 마일스톤' : heldBack}은(는) 더 이상 올리지 않으므로 ` +
      '(오래된 데이터, 더 높은 마일스톤에 밀림, 또는 실패) 이를 빼고 게시물을 다시 구성했습니다. 이 초안으로는 X에 ' +
      '아무것도 올리지 않습니다.',
    replacedDraft:
      '이 초안은 새 초안으로 대체되었습니다: 더 이상 올리지 않는 마일스톤을 빼고 게시물을 다시 구성했습니다. ' +
      '여기서는 아무것도 결정하지 않았으니 새 초안에서 결정해 주세요.',
    withdrawn: (heldBack) =>
      `철회되었습니다: 이 초안의 마일스톤은 더 이상 올리지 않으며 (${
        heldBack ?? '오래된 데이터이거나 더 높은 ' + '마일스톤에 밀림'
      }), 대신 계획된 게시물도 없습니다. 이 초안으로는 X에 아무것도 올리지 않습니다.`,
    withdrawnDraft:
      '이 초안은 철회되었습니다: 이 초안의 마일스톤은 더 이상 올리지 않으며 (오래된 데이터이거나 더 높은 ' +
      '마일스톤에 밀림) 대신할 초안도 없습니다. 여기서는 아무것도 결정하지 않았으며 X에는 아무것도 올리지 않습니다.',
    givenUp: (reason) =>
      `게시하지 않음: ${reason}. 이 게시물의 마일스톤은 실패로 기록되었고, 이 초안으로는 X에 아무것도 올리지 않습니다.`,
    givenUpDraft: (reason) =>
      `이 X 게시물은 포기되었습니다 (${reason}). 여기서는 아무것도 결정하지 않았으며 X에는 아무것도 올리지 않습니다.`,
    failed: (milestones) =>
      `실패했습니다: ${milestones ?? '마일스톤을 게시하지 못했습니다'}. 대신 계획된 게시물도 없으며, 이 초안으로는 ` +
      'X에 아무것도 올리지 않습니다.',
    failedDraft:
      '이 X 게시물은 실패했습니다: 마일스톤을 게시하지 못했습니다 (이유는 초안에 있습니다). 여기서는 아무것도 ' +
      '결정하지 않았으며 X에는 아무것도 올리지 않습니다.',
    wrongChannel: 'X 초안은 운영진 채널에서만 결정할 수 있습니다.',
    notAllowed: `${permissionName('ManageGuild', 'ko')} 권한이 있는 멤버만 X 초안을 결정할 수 있습니다.`,
    unknownDraft: '더 이상 찾을 수 없는 초안입니다 (만료되었거나 이 봇의 초안이 아닙니다).',
    alreadyDecided: (decision) => `이미 결정되었습니다: ${decision}`,
    modalTitle: 'X 게시물 수정',
    fieldLabel: 'X에 올릴 텍스트',
    fieldDescription: 'X의 글자 수 규칙으로 확인하며, 너무 길면 규칙에 따라 줄입니다.',
    emptyEdit: '수정한 텍스트가 비어 있어 아무것도 결정하지 않았습니다.',
    tooLongNote: (weighted) =>
      `참고: 이 텍스트는 X 기준 ${weighted}/280자입니다. 올리기 전에 규칙에 따라 줄입니다.`,
  },
};
