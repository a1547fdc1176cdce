import type { Milestone } from '../../milestones/types.js';
import type { RenderPosts } from '../../posts/types.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { DestinationKey, PublishReceipt, PublishRequest, Publisher } from '../publisher.js';

/** Where the console adapter writes one post. */
export type ConsoleSink = (post: { platform: 'x' | 'discord'; milestone: Milestone; text: string }) => void;

/** Prints a post as a block on standard output, for the no-credentials dry run. */
export const printToStdout: ConsoleSink = ({ platform, milestone, text }) => {
  const rule = '─'.repeat(60);
  process.stdout.write(`${rule}\n[${platform}] ${milestone.id}\n${text}\n`);
};

/**
 * Stands in for a platform whose credentials are absent: renders exactly what would be posted and hands it to
 * the sink. Its single destination is `<platform>:console`.
 */
export class ConsolePublisher implements Publisher {
  private sequence = 0;

  constructor(
    readonly platform: 'x' | 'discord',
    private readonly render: RenderPosts,
    private readonly sink: ConsoleSink = printToStdout,
  ) {}

  destinationsFor(_milestone: Milestone, _tracking: Tracking): Promise<DestinationKey[]> {
    return Promise.resolve([`${this.platform}:console`]);
  }

  publish({ milestone, tracking }: PublishRequest): Promise<PublishReceipt> {
    const posts = this.render(milestone, tracking);
    const text = this.platform === 'x' ? posts.x : posts.discord.content;
    this.sink({ platform: this.platform, milestone, text });
    this.sequence += 1;
    return Promise.resolve({ platformId: `console-${process.pid}-${this.sequence}`, text });
  }
}
