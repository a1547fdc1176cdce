import type { Milestone } from '../../src/milestones/types.js';
import { AlreadyPublishedError } from '../../src/platforms/publish-errors.js';
import {
  type DestinationKey,
  type PublishReceipt,
  type PublishRequest,
  type Publisher,
} from '../../src/platforms/publisher.js';

function textOf(milestone: Milestone): string {
  return `${milestone.id} reached ${milestone.threshold} (${milestone.value})`;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Posts to the loopback platform's X side; a duplicate-content refusal means the post is already there. */
export class LoopbackXPublisher implements Publisher {
  readonly platform = 'x';
  constructor(private readonly baseUrl: string) {}

  destinationsFor(): Promise<DestinationKey[]> {
    return Promise.resolve(['x:main']);
  }

  async publish(request: PublishRequest): Promise<PublishReceipt> {
    const text = textOf(request.milestone);
    const { status, json } = await post(`${this.baseUrl}/2/tweets`, { text });
    if (status === 403 && String(json.detail).includes('duplicate')) {
      throw new AlreadyPublishedError('X already has this post', 'unknown', text);
    }
    if (status !== 201) throw new Error(`x answered ${status}`);
    const data = json.data as { id: string };
    return { platformId: data.id, text };
  }
}
