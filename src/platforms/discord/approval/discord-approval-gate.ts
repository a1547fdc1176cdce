import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Logger } from '../../../logger.js';
import type { ApprovalDecision, ApprovalDraft, ApprovalGate, NotPosted } from '../../approval-gate.js';
import {
  draftIdOf,
  type ApprovalStore,
  type StoredDecision,
  type StoredDraft,
  type StoredNotPosted,
} from './approval-store.js';
import { decidedMessage, draftMessage } from './draft-message.js';

export interface DiscordApprovalGateOptions {
  /** The bot's REST client (behind the shared global limiter). */
  readonly rest: REST;
  readonly store: ApprovalStore;
  /** `DISCORD_MOD_CHANNEL_ID`: where drafts go. */
  readonly channelId: string;
  readonly logger: Logger;
}

function asDecision(stored: StoredDecision): ApprovalDecision {
  if (stored.state === 'skipped')
    return { state: 'skipped', ...(stored.by === undefined ? {} : { by: stored.by }) };
  if (stored.state === 'approved') {
    return {
      state: 'approved',
      ...(stored.text === undefined ? {} : { text: stored.text }),
      ...(stored.by === undefined ? {} : { by: stored.by }),
    };
  }
  // A draft the X side settled is not asked about again (a new plan's parts have keys of their own; a group
  // withdrawn, given up or failed asks nothing more); were it asked, it would simply never be decided.
  return { state: 'pending' };
}

/** `why` narrowed to the milestones the draft carries (a group's plan names more than one draft's). */
function forDraft(why: NotPosted, milestoneIds: readonly string[]): NotPosted {
  if (why.state === 'replaced') {
    return { state: 'replaced', heldBack: why.heldBack.filter((id) => milestoneIds.includes(id)) };
  }
  if (why.state === 'withdrawn') {
    return { state: 'withdrawn', heldBack: why.heldBack.filter((m) => milestoneIds.includes(m.id)) };
  }
  if (why.state === 'failed') {
    return { state: 'failed', milestones: why.milestones.filter((m) => milestoneIds.includes(m.id)) };
  }
  return why;
}

const settledLog: Record<NotPosted['state'], string> = {
  replaced: 'X draft replaced: its post was planned again',
  withdrawn: 'X draft withdrawn: none of its milestones go out any more',
  givenUp: 'X draft given up: its post will not be made',
  failed: 'X draft failed: its milestones could not be posted',
};

/**
 * The `ApprovalGate` for `X_APPROVAL=discord`: the first review of a key posts the draft, with Approve / Edit / Skip
 * buttons, to the moderators' channel (once, across processes: a Redis claim plus a nonce with `enforce_nonce`);
 * every review answers the decision stored by the buttons ({@link import('./approval-interactions.js')}).
 * Never throws: a draft it cannot post is retried at the next review, and it answers `pending` meanwhile. A draft
 * the X side will never post (its post planned again, withdrawn, given up, or failed) is settled as such and its
 * message says so, without buttons; an approved one keeps its decision, and its message adds that it was not
 * posted.
 */
export class DiscordApprovalGate implements ApprovalGate {
  constructor(private readonly options: DiscordApprovalGateOptions) {}

  async review(draft: ApprovalDraft): Promise<ApprovalDecision> {
    const { store, logger } = this.options;
    const draftId = draftIdOf(draft.key);
    try {
      const stored = await store.get(draftId);
      if (stored?.decision != null) return asDecision(stored.decision);
      if (stored === null) await store.remember(draft);
      if (stored?.messageId == null && (await store.claimPosting(draftId))) {
        await this.post(draftId, draft);
      }
    } catch (error) {
      logger.warn({ err: String(error), draft: draft.key }, 'could not put an X draft to the moderators');
    }
    return { state: 'pending' };
  }

  async notPosted(key: string, why: NotPosted): Promise<void> {
    const { store, logger } = this.options;
    const draftId = draftIdOf(key);
    try {
      const stored = await store.get(draftId);
      if (stored === null) return;
      const settled: StoredNotPosted = { ...forDraft(why, stored.milestoneIds), at: Date.now() };
      let decision = stored.decision;
      if (decision === null) {
        const result = await store.decide(draftId, settled);
        if (result === null) return;
        if (result.won) {
          logger.info({ draft: key, why: settled }, settledLog[settled.state]);
          await this.edit(draftId, stored, settled, null);
          return;
        }
        decision = result.decision;
      }
      // Approved, yet never posted: the message says it was not posted after all. Skipped or settled: as it is.
      if (decision.state !== 'approved' || !(await store.markNotPosted(draftId, settled))) return;
      logger.info({ draft: key, why: settled }, 'X draft approved but not posted');
      await this.edit(draftId, stored, decision, settled);
    } catch (error) {
      logger.warn(
        { err: String(error), draft: key },
        'could not mark an X draft that will not be posted in the moderators’ channel',
      );
    }
  }

  /**
   * Edits the draft's message to `decision` (and, for an approved draft, why it was not posted), in English. The
   * message as it now stands: a review may have posted it meanwhile. Not posted yet: a review posts nothing more
   * for a settled key, and a click on a message posted in that moment is told how it was settled.
   */
  private async edit(
    draftId: string,
    stored: StoredDraft,
    decision: StoredDecision,
    notPosted: StoredNotPosted | null,
  ): Promise<void> {
    const messageId = (await this.options.store.get(draftId))?.messageId ?? null;
    if (messageId === null) return;
    await this.options.rest.patch(Routes.channelMessage(this.options.channelId, messageId), {
      body: {
        ...decidedMessage(stored.text, stored.milestoneIds, decision, 'en', { notPosted }),
        allowed_mentions: { parse: [] },
      },
    });
  }

  private async post(draftId: string, draft: ApprovalDraft): Promise<void> {
    try {
      const message = (await this.options.rest.post(Routes.channelMessages(this.options.channelId), {
        body: {
          ...draftMessage(draftId, draft.text, draft.milestoneIds),
          allowed_mentions: { parse: [] },
          nonce: `xa${draftId}`,
          enforce_nonce: true,
        },
      })) as { id: string };
      await this.options.store.posted(draftId, message.id);
      this.options.logger.info({ draft: draft.key, messageId: message.id }, 'X draft put to the moderators');
    } catch (error) {
      await this.options.store.releasePosting(draftId);
      throw error;
    }
  }
}
