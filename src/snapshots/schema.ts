import { z } from 'zod';
import { isoWithOffsetSchema, slugSchema } from '../tracking/schema.js';

/** A cumulative count: an integer from 0 to 2^53-1. */
export const countSchema = z
  .number({ error: 'must be a number' })
  // Not .int(): in zod 4 it also rejects unsafe integers, which would call 2^53 "not a whole number".
  .refine(Number.isInteger, 'must be a whole number')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53-1');

/** CONTRACT §2: one stream snapshot, as it arrives on the queue, in an import file or in POST /snapshots. */
export const snapshotSchema = z.strictObject({
  capturedAt: isoWithOffsetSchema,
  artist: slugSchema.optional(),
  source: z.string().max(200).optional(),
  tracks: z.record(z.string().min(1).max(200), countSchema, {
    error: (issue) => (issue.code === 'invalid_key' ? 'track keys must be 1 to 200 characters' : undefined),
  }),
  artistStreams: countSchema.optional(),
  followers: countSchema.optional(),
});

export type Snapshot = z.output<typeof snapshotSchema>;
