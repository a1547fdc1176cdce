import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Logger } from '../../../logger.js';
import type { ApprovalDecision, ApprovalDraft, ApprovalGate } from '../../approval-gate.js';
import { draftIdOf, type ApprovalStore, type StoredDecision } from './approval-store.js';
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
  // A replaced draft's key is not asked about again (the new plan's parts have keys of their own); were it asked,
  // it would simply never be decided.
  if (stored.state === 'replaced') return { state: 'pending' };
  if (stored.state === 'skipped')
    return { state: 'skipped', ...(stored.by === undefined ? {} : { by: stored.by }) };
  return {
    state: 'approved',
    ...(stored.text === undefined ? {} : { text: stored.text }),
    ...(stored.by === undefined ? {} : { by: stored.by }),
  };
}

/**
 * The `ApprovalGate` for `X_APPROVAL=discord`: the first review of a key posts the draft, with Approve / Edit / Skip
 * buttons, to the moderators' channel (once, across processes: a Redis claim plus a nonce with `enforce_nonce`);
 * every review answers the decision stored by the buttons ({@link import('./approval-interactions.js')}).
 * Never throws: a draft it cannot post is retried at the next review, and it answers `pending` meanwhile. A draft
 * the X side replaced (its post planned again) is settled as such, and its message says so, without buttons.
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

  async replaced(key: string, heldBack: readonly string[]): Promise<void> {
    const { store, logger } = this.options;
    const draftId = draftIdOf(key);
    try {
      const stored = await store.get(draftId);
      if (stored === null || stored.decision !== null) return;
      const decision: StoredDecision = {
        state: 'replaced',
        heldBack: heldBack.filter((id) => stored.milestoneIds.includes(id)),
        at: Date.now(),
      };
      const result = await store.decide(draftId, decision);
      if (result === null || !result.won) return;
      logger.info(
        { draft: key, heldBack: decision.heldBack },
        'X draft replaced: its post was planned again',
      );
      // The message as it now stands: a review may have posted it meanwhile. Not posted yet: a review posts
      // nothing more for this key, and a click on a message posted in that moment is told it was replaced.
      const messageId = (await store.get(draftId))?.messageId ?? null;
      if (messageId === null) return;
      await this.options.rest.patch(Routes.channelMessage(this.options.channelId, messageId), {
        body: {
          ...decidedMessage(stored.text, stored.milestoneIds, decision, 'en'),
          allowed_mentions: { parse: [] },
        },
      });
    } catch (error) {
      logger.warn(
        { err: String(error), draft: key },
        'could not mark a replaced X draft in the moderators’ channel',
      );
    }
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
