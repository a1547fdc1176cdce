import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { ApprovalGate } from '../approval-gate.js';
import { PermanentPublishError, RateLimitedError } from '../publish-errors.js';
import type { DestinationKey, PublishReceipt, PublishRequest } from '../publisher.js';
import { errorMessage } from '../../error-message.js';
import { draftKey, type XDrafts } from './x-drafts.js';
import type { XGroupLock } from './x-group-lock.js';
import type { GroupView, PostedPart, XGroupStore } from './x-groups.store.js';
import type { XPartPoster } from './x-part-poster.js';
import { byXPriority } from './x-priority.js';
import { receiptFor } from './x-receipts.js';
import type { XSendingMarks } from './x-sending-marks.store.js';
import { fitXText, type XPostPart } from './x-text.js';

/** The index of the part that carries `milestoneId`; none means no X text could be rendered for it. */
function partOf(plan: readonly XPostPart[], milestoneId: string): number {
  const index = plan.findIndex((p) => p.milestoneIds.includes(milestoneId));
  if (index === -1) {
    throw new PermanentPublishError('no X text could be rendered for this milestone', 'no X text rendered');
  }
  return index;
}

export interface XThreadPosterOptions {
  readonly groups: XGroupStore;
  readonly locks: XGroupLock;
  readonly sending: XSendingMarks;
  readonly poster: XPartPoster;
  readonly logger: Logger;
  /** `x:<account id>`, named to the approval gate. */
  readonly destination: DestinationKey;
  /** Packs milestones' X texts into posts, oldest first (the group's plan). */
  readonly plan: (milestones: readonly Milestone[], tracking: Tracking) => XPostPart[];
  /** How far the group lock is extended before each part. */
  readonly lockTtlMs: number;
  /** `X_MAX_WAIT_HOURS` in ms: a post still undecided this long after its group entered is given up. */
  readonly maxWaitMs: number;
  /** With `X_APPROVAL=discord`: every post waits for a moderator's decision. */
  readonly approval?: ApprovalGate;
  /** Settles the drafts that will never be posted (a plan made again, a group given up). */
  readonly drafts: XDrafts;
  /** How often an undecided draft is looked at again. */
  readonly approvalRecheckMs: number;
  readonly now: () => number;
}

/**
 * Posts a group's plan in order, each part a reply to the last one posted, through {@link XPartPoster}. Parts
 * already posted are skipped, so a thread resumes where it stopped. Before each part, the milestones of the parts
 * not yet posted, besides the job's own, are put to the publishing rules again (`heldBack`): when some may not go
 * out (too old by now, superseded by a higher milestone announced since, or recorded failed: their own job gave
 * up), the unposted parts are planned again without them, so no post carries a milestone that was decided not to
 * go out, and one new plan covers every such milestone of the rest of the thread; with approval, the old plan's
 * drafts of those parts are settled as replaced (the new plan's parts are new drafts).
 */
export class XThreadPoster {
  constructor(private readonly options: XThreadPosterOptions) {}

  /**
   * Posts the parts of `start` (whose plan is made) until `milestoneId`'s part is settled, and the rest as far as
   * it can. A failure before this milestone's part is this job's failure; after it, the job has what it came for
   * and leaves the rest to the group's other jobs. The group lock (`token`) is held by the caller.
   */
  async post(
    start: GroupView,
    milestoneId: string,
    token: string,
    request: PublishRequest,
  ): Promise<PublishReceipt> {
    const { groups, locks, logger, lockTtlMs } = this.options;
    let group = start;
    let plan = group.plan ?? [];
    const posted = new Map(group.posted);
    let replyTo: string | null = null;
    let target = partOf(plan, milestoneId);
    for (let i = 0; i < plan.length; i += 1) {
      const done = posted.get(i);
      if (done !== undefined) {
        replyTo = done.id ?? replyTo;
        continue;
      }
      if (!(await locks.extend(group.id, token, lockTtlMs))) {
        if (i <= target)
          throw new RateLimitedError(
            'lost the group lock; another worker continues',
            this.options.now() + 500,
          );
        break;
      }
      try {
        const revised = await this.withoutHeldBack(group, plan, i, milestoneId, posted.size, request);
        if (revised !== null) {
          group = revised;
          plan = revised.plan ?? [];
          target = partOf(plan, milestoneId);
          i -= 1;
          continue;
        }
        const part = plan[i] as XPostPart;
        const approved = await this.approve(group, i, part);
        const outcome =
          approved === null
            ? { id: null, duplicate: false, skipped: true }
            : await this.options.poster.post(group, i, approved, replyTo, {
                milestone: this.cardMilestone(group, part),
                tracking: request.tracking,
                token,
              });
        const record: PostedPart =
          approved === null || approved === part.text ? outcome : { ...outcome, text: approved };
        posted.set(i, record);
        const stored = await groups.recordPosted(group.id, i, record, plan.length - posted.size);
        posted.set(i, stored);
        replyTo = stored.id ?? replyTo;
      } catch (error) {
        if (i <= target) throw error;
        logger.info(
          { groupId: group.id, part: i, err: errorMessage(error) },
          'X thread paused part way; the group’s other jobs resume it',
        );
        break;
      }
    }
    if (posted.size === plan.length) await groups.finish(group.id, 'done');
    const mine = posted.get(target);
    if (mine === undefined) throw new Error(`part ${target} of group ${group.id} was not settled`);
    return receiptFor(plan[target] as XPostPart, mine);
  }

  /**
   * Puts the other milestones of the parts from `index` on to the publishing rules. When they hold some back, those
   * parts are planned again without them and the group as revised is returned; else null. When part `index` may
   * already be on X (an earlier try's answer was lost), the plan is kept, so the look-up can still find that part's
   * text; the parts after it are looked at again before each of them.
   */
  private async withoutHeldBack(
    group: GroupView,
    plan: readonly XPostPart[],
    index: number,
    milestoneId: string,
    postedCount: number,
    request: PublishRequest,
  ): Promise<GroupView | null> {
    const others = plan
      .slice(index)
      .flatMap((part) => part.milestoneIds)
      .filter((id) => id !== milestoneId);
    if (request.heldBack === undefined || others.length === 0) return null;
    const held = await request.heldBack(others);
    if (held.size === 0) return null;
    if (await this.options.sending.isMarked(group.id, index)) {
      this.options.logger.warn(
        { groupId: group.id, part: index, heldBack: [...held] },
        'X part may already be posted (its answer was lost): kept as planned, though the publishing rules now hold back some of its milestones',
      );
      return null;
    }
    const keep = new Set(
      plan
        .slice(index)
        .flatMap((p) => p.milestoneIds)
        .filter((id) => !held.has(id)),
    );
    const tail = this.options.plan(
      group.milestones.filter((m) => keep.has(m.id)),
      request.tracking,
    );
    this.options.logger.info(
      { groupId: group.id, fromPart: index, heldBack: [...held] },
      'X thread planned again without the milestones the publishing rules hold back',
    );
    const revised = await this.options.groups.revisePlan(group, index, tail, postedCount);
    // The old plan's drafts of those parts would otherwise wait for a decision that no longer counts.
    if (revised.revision !== group.revision) await this.options.drafts.replaced(group, index, held);
    return revised;
  }

  /**
   * With an approval gate: the text a moderator approved (edited texts are checked and, if need be, shortened),
   * null when skipped; throws a wait while undecided, and gives up after `maxWaitMs` (its draft then says so).
   * Without a gate: the text.
   * A part of a plan made again is a new draft (its key names the revision).
   */
  private async approve(group: GroupView, index: number, part: XPostPart): Promise<string | null> {
    const gate = this.options.approval;
    if (gate === undefined) return part.text;
    const decision = await gate.review({
      key: draftKey(group.id, index, group.revision),
      text: part.text,
      milestoneIds: part.milestoneIds,
      destination: this.options.destination,
    });
    if (decision.state === 'skipped') return null;
    if (decision.state === 'approved')
      return decision.text === undefined ? part.text : fitXText(decision.text);
    const now = this.options.now();
    if (now - group.createdAt > this.options.maxWaitMs) {
      const reason = `not approved within ${Math.round(this.options.maxWaitMs / 3_600_000)} h (X_MAX_WAIT_HOURS)`;
      await this.options.drafts.giveUp(group.id, reason);
      throw new PermanentPublishError(reason, reason);
    }
    throw new RateLimitedError(
      'waiting for a moderator to approve the X post',
      now + this.options.approvalRecheckMs,
    );
  }

  /** The milestone whose card a part carries: its highest-priority one. */
  private cardMilestone(group: GroupView, part: XPostPart): Milestone | undefined {
    return group.milestones.filter((m) => part.milestoneIds.includes(m.id)).sort(byXPriority)[0];
  }
}
