import type { CardSource } from '../../cards/card-cache.js';
import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { Language } from '../../posts/types.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { UploadedMedia, XClient } from './x-client.js';
import type { XGroupMediaStore } from './x-group-media.store.js';
import { errorMessage } from '../../error-message.js';

/** X refuses alt text longer than this. */
export const X_ALT_TEXT_MAX = 1000;
/** A stored media id is not used this close to its expiry (the post may take a while to go out). */
const EXPIRY_MARGIN_MS = 10 * 60_000;

/** Cuts alt text to X's limit at a word boundary, with "…", counting code points. */
export function fitAltText(text: string): string {
  const chars = [...text];
  if (chars.length <= X_ALT_TEXT_MAX) return text;
  const cut = chars.slice(0, X_ALT_TEXT_MAX - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > X_ALT_TEXT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface XCardMediaOptions {
  readonly client: XClient;
  /** Where each group's upload is kept. */
  readonly media: XGroupMediaStore;
  readonly cards: CardSource;
  readonly language: Language;
  readonly logger: Logger;
  /** Called after each metadata call (alt text), which X bills. */
  readonly onMetadata?: () => Promise<void>;
}

/**
 * The milestone card of a group's first post, uploaded to X once: the media id is stored in the group
 * (`media:<part>`), so a retried post (a 5xx, a timeout, a 429 on `POST /2/tweets`) attaches the same upload. A card
 * that cannot be drawn or uploaded is logged and the post goes out without it.
 */
export class XCardMedia {
  constructor(private readonly options: XCardMediaOptions) {}

  /** The media ids to attach to part `index` of a group: the card of `milestone` for the first part, else none. */
  async mediaFor(
    groupId: string,
    index: number,
    milestone: Milestone | undefined,
    tracking: Tracking,
    now: number,
  ): Promise<string[]> {
    if (index !== 0 || milestone === undefined) return [];
    const stored = await this.options.media.get(groupId, index);
    if (stored !== null && stored.expiresAt - EXPIRY_MARGIN_MS > now) return [stored.id];
    const uploaded = await this.upload(groupId, milestone, tracking, now);
    if (uploaded === null) return [];
    await this.options.media.save(groupId, index, uploaded);
    return [uploaded.id];
  }

  /** Forgets the stored upload of a part (X refused it), so the next try uploads afresh. */
  async forget(groupId: string, index: number): Promise<void> {
    await this.options.media.forget(groupId, index);
  }

  private async upload(
    groupId: string,
    milestone: Milestone,
    tracking: Tracking,
    now: number,
  ): Promise<UploadedMedia | null> {
    const { logger } = this.options;
    let step = 'render';
    try {
      const card = await this.options.cards(milestone, tracking, this.options.language);
      step = 'upload';
      const media = await this.options.client.uploadImage(
        card.png,
        'image/png',
        fitAltText(card.altText),
        now,
      );
      await this.options.onMetadata?.();
      logger.info({ groupId, milestoneId: milestone.id, mediaId: media.id }, 'X card uploaded');
      return media;
    } catch (error) {
      logger.warn(
        {
          groupId,
          milestoneId: milestone.id,
          step,
          err: errorMessage(error),
        },
        'X card not attached; posting without it',
      );
      return null;
    }
  }
}
