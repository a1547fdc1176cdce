import { enqueueSnapshots, type EnqueueOptions } from '../../src/jobs/enqueue-snapshots.js';
import type { Pipeline } from '../../src/jobs/pipeline.js';
import { admitRawSnapshots } from '../../src/snapshots/admit-snapshots.js';

/** Validates raw snapshots against the pipeline's trackings and enqueues them as one batch (or as `options` say). */
export function enqueueRaw(
  pipeline: Pick<Pipeline, 'entrance' | 'trackings'>,
  raws: readonly unknown[],
  options: EnqueueOptions = {},
): Promise<string[]> {
  return enqueueSnapshots(pipeline.entrance, admitRawSnapshots(raws, pipeline.trackings), options);
}
