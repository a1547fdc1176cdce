import { AlreadyPublishedError, PermanentPublishError } from '../publish-errors.js';
import type { PublishReceipt } from '../publisher.js';
import type { GroupView, PostedPart } from './x-groups.store.js';
import type { XPostPart } from './x-text.js';

/** Settles one milestone's job from its part's record. */
export function receiptFor(part: XPostPart, posted: PostedPart): PublishReceipt {
  const text = posted.text ?? part.text;
  if (posted.skipped === true) {
    throw new PermanentPublishError('a moderator skipped this X post', 'skipped by a moderator');
  }
  if (posted.id === null) throw new AlreadyPublishedError('X already had this post', '', text);
  return { platformId: posted.id, text };
}

/** The receipt when this milestone's part of its group is settled (posted, or skipped by a moderator), else null. */
export function postedReceipt(group: GroupView, milestoneId: string): PublishReceipt | null {
  if (group.plan === null) return null;
  const index = group.plan.findIndex((p) => p.milestoneIds.includes(milestoneId));
  const part = group.plan[index];
  const posted = group.posted.get(index);
  return part !== undefined && posted !== undefined ? receiptFor(part, posted) : null;
}

/** The receipt when this milestone's post already went out; throws when its group failed for good. */
export function settledReceipt(group: GroupView, milestoneId: string): PublishReceipt | null {
  const posted = postedReceipt(group, milestoneId);
  if (posted !== null) return posted;
  if (group.state === 'failed') {
    const reason = group.reason ?? 'the post was rejected';
    throw new PermanentPublishError(`X refused the post: ${reason}`, reason);
  }
  return null;
}
