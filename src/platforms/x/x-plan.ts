import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { RenderOptions } from '../../posts/types.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { RenderXPosts } from './x-post-format.js';
import { xKindRank } from './x-priority.js';
import { packXThread, type XPostPart } from './x-text.js';
import { errorMessage } from '../../error-message.js';

/** The milestone's X text, or null (logged) when the posts layer cannot render one. */
export function renderXText(
  deps: { readonly render: RenderXPosts; readonly logger: Logger },
  renderOptions: RenderOptions,
  milestone: Milestone,
  tracking: Tracking,
): string | null {
  try {
    return deps.render(milestone, tracking, renderOptions).x;
  } catch (error) {
    deps.logger.error({ milestoneId: milestone.id, err: errorMessage(error) }, 'no X text could be rendered');
    return null;
  }
}

/**
 * The order of a combined post or thread: oldest news first (by `observedAt`), so a thread reads as it happened
 * ("1.15B" before "1.2B"); milestones seen at the same moment go bigger moment first, and within a kind the
 * smaller threshold first.
 */
export function byXThreadOrder(a: Milestone, b: Milestone): number {
  const at = Date.parse(a.observedAt) - Date.parse(b.observedAt);
  if (at !== 0) return at;
  const rank = xKindRank(b.kind) - xKindRank(a.kind);
  if (rank !== 0) return rank;
  return a.threshold - b.threshold || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The posts of a group: its milestones' X texts in {@link byXThreadOrder}, packed into as few posts as fit. */
export function planXPosts(
  deps: { readonly render: RenderXPosts; readonly logger: Logger },
  renderOptions: RenderOptions,
  milestones: readonly Milestone[],
  tracking: Tracking,
): XPostPart[] {
  const ordered = [...milestones].sort(byXThreadOrder);
  return packXThread(
    ordered.flatMap((m) => {
      const text = renderXText(deps, renderOptions, m, tracking);
      return text === null ? [] : [{ milestoneId: m.id, text }];
    }),
  );
}
