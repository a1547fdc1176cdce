import type { Logger } from '../../logger.js';
import { errorMessage } from '../../error-message.js';
import type { ApprovalGate, NotPosted, UnpostedMilestone } from '../approval-gate.js';
import type { GroupView, XGroupStore } from './x-groups.store.js';
import type { XSendingMarks } from './x-sending-marks.store.js';
import type { XPostPart } from './x-text.js';

/** The approval key of part `index` of a group's plan at `revision`: each plan made again names its revision. */
export function draftKey(groupId: string, index: number, revision: number): string {
  return revision === 0 ? `${groupId}#${index}` : `${groupId}#${index}@${revision}`;
}

/** A milestone of a group settled in the ledger without a post, with the ledger's reason. */
export interface SettledMilestone extends UnpostedMilestone {
  /** Recorded `failed` (its job failed for good, or ran out of attempts), not held back by the publishing rules. */
  readonly failed: boolean;
}

export interface XDraftsOptions {
  readonly groups: XGroupStore;
  readonly sending: XSendingMarks;
  /** With `X_APPROVAL=discord`; without it there are no drafts and only groups are given up. */
  readonly approval?: ApprovalGate;
  readonly logger: Logger;
}

/**
 * The approval drafts of a group's parts, from the X side: what becomes of those that will never be posted. When a
 * plan is made again, its old drafts are replaced; when a group is given up, or left with nothing to post (its
 * milestones held back, or failed), the drafts of its parts not posted are settled so (the gate says so to the
 * moderators, and refuses late decisions).
 * A part that may already be on X (an earlier try's answer was lost) is left as it is.
 */
export class XDrafts {
  constructor(private readonly options: XDraftsOptions) {}

  /**
   * Settles the drafts of the parts `old`'s plan had from `from` on (none of them posted): the group's plan was
   * made again without `heldBack`, and the new plan's parts are new drafts. Whoever made the new plan, this caller
   * or another, the old drafts are the same, and settling one twice is harmless.
   */
  async replaced(old: GroupView, from: number, heldBack: ReadonlySet<string>): Promise<void> {
    const gate = this.options.approval;
    if (gate === undefined) return;
    const parts = old.plan?.length ?? 0;
    for (let i = from; i < parts; i += 1) {
      await gate.notPosted(draftKey(old.id, i, old.revision), { state: 'replaced', heldBack: [...heldBack] });
    }
  }

  /**
   * Ends the group for good: recorded failed with `reason` (each member's job records it for its milestone), and
   * the drafts of its parts not posted are settled as given up.
   */
  async giveUp(groupId: string, reason: string): Promise<void> {
    const { groups, approval, logger } = this.options;
    await groups.finish(groupId, 'failed', reason);
    if (approval === undefined) return;
    let group: GroupView;
    try {
      group = await groups.group(groupId);
    } catch (error) {
      logger.warn({ groupId, err: errorMessage(error) }, 'could not read an X group given up');
      return;
    }
    await this.settleUnposted(group, () => ({ state: 'givenUp', reason }));
  }

  /**
   * The group has nothing left to post: every milestone it holds is settled, and `unposted` are those settled
   * without a post, each with its reason. The draft of each part not posted is settled as failed when one of its
   * milestones failed (its job failed for good, or ran out of attempts), else as withdrawn (the publishing rules
   * held them all back), naming its milestones with their reasons.
   */
  async nothingLeft(group: GroupView, unposted: readonly SettledMilestone[]): Promise<void> {
    if (this.options.approval === undefined) return;
    await this.settleUnposted(group, (milestoneIds) => {
      // In the part's order, as its draft names them.
      const mine = milestoneIds.flatMap((id) => unposted.filter((m) => m.id === id));
      const reasons = mine.map(({ id, reason }) => ({ id, reason }));
      return mine.some((m) => m.failed)
        ? { state: 'failed', milestones: reasons }
        : { state: 'withdrawn', heldBack: reasons };
    });
  }

  /**
   * Tells the gate about each draft of `group`'s current plan whose part is not posted, and why (`why`, of the
   * part's milestones). Never throws: the group's own outcome stands whatever becomes of its drafts (a failure is
   * logged).
   */
  private async settleUnposted(
    group: GroupView,
    why: (milestoneIds: readonly string[]) => NotPosted,
  ): Promise<void> {
    const { approval: gate, sending, logger } = this.options;
    if (gate === undefined || group.plan === null) return;
    try {
      for (let i = 0; i < group.plan.length; i += 1) {
        if (group.posted.has(i)) continue;
        if (await sending.isMarked(group.id, i)) {
          logger.warn(
            { groupId: group.id, part: i },
            'X part may already be posted (its answer was lost): its draft is left as it is',
          );
          continue;
        }
        const part = group.plan[i] as XPostPart;
        await gate.notPosted(draftKey(group.id, i, group.revision), why(part.milestoneIds));
      }
    } catch (error) {
      logger.warn(
        { groupId: group.id, err: errorMessage(error) },
        'could not settle the drafts of an X group that will not be posted',
      );
    }
  }
}
