import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { RenderOptions, RenderPosts } from '../../posts/types.js';
import type { Tracking } from '../../tracking/tracking.js';
import { byXPriority } from './x-priority.js';
import { packXThread, type XPostPart } from './x-text.js';

/** The milestone's X text, or null (logged) when the posts layer cannot render one. */
export function renderXText(
  deps: { readonly render: RenderPosts; readonly logger: Logger },
  renderOptions: RenderOptions,
  milestone: Milestone,
  tracking: Tracking,
): string | null {
  try {
    return deps.render(milestone, tracking, renderOptions).x;
  } catch (error) {
    deps.logger.error(
      { milestoneId: milestone.id, err: error instanceof Error ? error.message : String(error) },
      'no X text could be rendered',
    );
    return null;
  }
}

/** The posts of a group: its milestones' X texts, highest priority first, packed into as few posts as fit. */
export function planXPosts(
  deps: { readonly render: RenderPosts; readonly logger: Logger },
  renderOptions: RenderOptions,
  milestones: readonly Milestone[],
  tracking: Tracking,
): XPostPart[] {
  const ordered = [...milestones].sort(byXPriority);
  return packXThread(
    ordered.flatMap((m) => {
      const text = renderXText(deps, renderOptions, m, tracking);
      return text === null ? [] : [{ milestoneId: m.id, text }];
    }),
  );
}
