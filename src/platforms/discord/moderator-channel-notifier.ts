import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Logger } from '../../logger.js';
import type { ModeratorNotifier } from '../moderator-notifier.js';

/**
 * The `ModeratorNotifier` for the moderators' channel (`DISCORD_MOD_CHANNEL_ID`): each notice is one plain message,
 * pinging nobody (`allowed_mentions: { parse: [] }`). Delivery problems are logged, never thrown.
 */
export function moderatorChannelNotifier(options: {
  readonly rest: REST;
  readonly channelId: string;
  readonly logger: Logger;
}): ModeratorNotifier {
  return {
    async notify(text: string): Promise<void> {
      try {
        await options.rest.post(Routes.channelMessages(options.channelId), {
          body: { content: text.slice(0, 2000), allowed_mentions: { parse: [] } },
        });
      } catch (error) {
        options.logger.warn(
          { err: String(error), moderatorNotice: text },
          'could not post a notice to the moderators channel',
        );
      }
    },
  };
}
