import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Logger } from '../../../logger.js';
import type { ApprovalDecision, ApprovalDraft, ApprovalGate } from '../../approval-gate.js';
import { draftIdOf, type ApprovalStore, type StoredDecision } from './approval-store.js';
import { draftMessage } from './draft-message.js';

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
 * Never throws: a draft it cannot post is retried at the next review, and it answers `pending` meanwhile.
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
