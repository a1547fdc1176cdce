import type { Logger } from '../logger.js';
import type { Milestone } from '../milestones/types.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import type { LedgerEntry, PostLedgerStore } from '../state/post-ledger.store.js';
import type { PublishOrderStore } from '../state/publish-order.store.js';
import { staleReason, supersededReason, type PublishRules } from './publish-rules.js';

/** Why the publishing rules hold a milestone back from a destination: too old, or a higher one goes there. */
export type HeldBackOutcome = 'stale' | 'superseded';

export interface PublishRuleCheckDeps {
  readonly ledger: PostLedgerStore;
  readonly milestones: MilestoneStore;
  readonly order: PublishOrderStore;
  readonly logger: Logger;
  readonly rules: PublishRules;
  /** Epoch ms, for the freshness rule. */
  readonly now: () => number;
}

function heldBackState(entry: LedgerEntry): HeldBackOutcome | null {
  if (entry.state === 'skipped') return 'stale';
  return entry.state === 'superseded' ? 'superseded' : null;
}

/**
 * The publishing rules applied to a pending (milestone, destination) when it would be posted: freshness first,
 * then supersession. What they hold back is recorded in the ledger (`skipped` with its age, `superseded` by the
 * higher milestone) and logged; the ledger's transition refuses to touch an entry that is already final.
 */
export class PublishRuleCheck {
  constructor(private readonly deps: PublishRuleCheckDeps) {}

  /** Records `skipped` when the milestone is too old to post now; returns the entry as it then stands, else null. */
  async skipIfStale(milestone: Milestone, destination: string): Promise<LedgerEntry | null> {
    const stale = staleReason(Date.parse(milestone.observedAt), this.deps.now(), this.deps.rules);
    if (stale === null) return null;
    const entry = await this.deps.ledger.markSkipped(milestone.id, destination, stale);
    this.deps.logger.info(
      { milestoneId: milestone.id, destination, reason: stale },
      'not posted: stale data',
    );
    return entry;
  }

  /**
   * Records `superseded` when one of `higher` (its subject's higher milestones, highest first) is pending or sent
   * for this destination; returns the entry as it then stands, else null. Nothing when the rules do not supersede.
   */
  async supersedeIfHigher(
    milestoneId: string,
    destination: string,
    higher: readonly string[],
  ): Promise<LedgerEntry | null> {
    if (!this.deps.rules.supersede) return null;
    for (const id of higher) {
      const state = (await this.deps.ledger.get(id, destination))?.state;
      if (state !== 'pending' && state !== 'sent') continue;
      const entry = await this.deps.ledger.markSuperseded(milestoneId, destination, id, supersededReason(id));
      this.deps.logger.info({ milestoneId, destination, supersededBy: id }, 'not posted: superseded');
      return entry;
    }
    return null;
  }

  /**
   * Of `milestoneIds` waiting for `destination` beside the one being posted (the other members of a combined post
   * or thread), the ones that may not go out: those the ledger already records `skipped`, `superseded` or `failed`
   * (a failed one's job gave up on it, so the ledger says it was not posted: a later post of its group must not
   * carry it), and those the rules hold back now (recorded so here; `onHeldBack` hears of each).
   */
  async heldBack(
    milestoneIds: readonly string[],
    destination: string,
    onHeldBack: (milestoneId: string, outcome: HeldBackOutcome) => Promise<void>,
  ): Promise<Set<string>> {
    const held = new Set<string>();
    for (const id of milestoneIds) {
      const entry = await this.deps.ledger.get(id, destination);
      if (entry === null) continue;
      if (entry.state !== 'pending') {
        if (heldBackState(entry) !== null || entry.state === 'failed') held.add(id);
        continue;
      }
      const milestone = await this.deps.milestones.get(id);
      if (milestone === null) continue;
      const decided =
        (await this.skipIfStale(milestone, destination)) ??
        (this.deps.rules.supersede
          ? await this.supersedeIfHigher(id, destination, await this.deps.order.higher(id))
          : null);
      const outcome = decided === null ? null : heldBackState(decided);
      if (outcome === null) continue;
      held.add(id);
      await onHeldBack(id, outcome);
    }
    return held;
  }
}
