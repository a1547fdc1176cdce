import type { Logger } from '../logger.js';

/**
 * Tells the moderators something that needs a person (X publishing paused, a post that failed for good). Discord
 * implements it with its moderators' channel; `main.ts` wires it. Platforms depend on this interface, never on each
 * other. Implementations must not throw for delivery problems they can log instead.
 */
export interface ModeratorNotifier {
  notify(text: string): Promise<void>;
}

/** The stand-in while no moderators' channel is configured: the message goes to the log at warn level. */
export function loggingModeratorNotifier(logger: Logger): ModeratorNotifier {
  return {
    notify(text: string): Promise<void> {
      logger.warn({ moderatorNotice: text }, 'moderator notice (no moderators channel configured)');
      return Promise.resolve();
    },
  };
}
