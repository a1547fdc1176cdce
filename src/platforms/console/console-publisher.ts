import type { Milestone } from '../../milestones/types.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { DestinationKey, PublishReceipt, PublishRequest, Publisher } from '../publisher.js';

/** Where the console adapter writes one post. */
export type ConsoleSink = (post: { platform: string; milestone: Milestone; text: string }) => void;

/** The text a platform would post for a milestone, as plain text. */
export type RenderPostText = (milestone: Milestone, tracking: Tracking) => string;

/** Prints a post as a block on standard output, for the no-credentials dry run. */
export const printToStdout: ConsoleSink = ({ platform, milestone, text }) => {
  const rule = '─'.repeat(60);
  process.stdout.write(`${rule}\n[${platform}] ${milestone.id}\n${text}\n`);
};

/**
 * Stands in for a platform whose credentials are absent: renders exactly what would be posted (`renderText`, the
 * platform's post as plain text) and hands it to the sink. Its single destination is `<platform>:console`.
 */
export class ConsolePublisher implements Publisher {
  private sequence = 0;

  constructor(
    readonly platform: string,
    private readonly renderText: RenderPostText,
    private readonly sink: ConsoleSink = printToStdout,
  ) {}

  destinationsFor(_milestone: Milestone, _tracking: Tracking): Promise<DestinationKey[]> {
    return Promise.resolve([`${this.platform}:console`]);
  }

  publish({ milestone, tracking }: PublishRequest): Promise<PublishReceipt> {
    const text = this.renderText(milestone, tracking);
    this.sink({ platform: this.platform, milestone, text });
    this.sequence += 1;
    return Promise.resolve({ platformId: `console-${process.pid}-${this.sequence}`, text });
  }
}
