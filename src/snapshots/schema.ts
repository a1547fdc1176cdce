import { z } from 'zod';
import { isoWithOffsetSchema, slugSchema } from '../tracking/schema.js';

/** A cumulative count: an integer from 0 to 2^53-1. */
export const countSchema = z
  .number({ error: 'must be a number' })
  // Not .int(): in zod 4 it also rejects unsafe integers, which would call 2^53 "not a whole number".
  .refine(Number.isInteger, 'must be a whole number')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53-1');

/** Track key -> count, with an issue per bad key or count. */
export const detailedTracksSchema = z.record(z.string().min(1).max(200), countSchema, {
  error: (issue) => (issue.code === 'invalid_key' ? 'track keys must be 1 to 200 characters' : undefined),
});

/** What {@link detailedTracksSchema} accepts, checked in one pass (no per-entry schema work). */
function isValidTracks(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (key.length < 1 || key.length > 200) return false;
    const count = (value as Record<string, unknown>)[key];
    if (!Number.isSafeInteger(count) || (count as number) < 0) return false;
  }
  return true;
}

/**
 * The tracks map. A catalogue snapshot has hundreds of entries and every snapshot job validates its payload, so
 * a valid map is accepted after one plain pass; only an invalid one goes through the per-entry schema, which
 * names every problem. The unit tests hold the two to the same verdicts.
 */
export const tracksSchema = z.custom<Record<string, number>>().check((ctx) => {
  if (isValidTracks(ctx.value)) return;
  const detailed = detailedTracksSchema.safeParse(ctx.value);
  if (detailed.success) return;
  for (const issue of detailed.error.issues) {
    ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: ctx.value });
  }
});

/** One stream snapshot, as it arrives on the queue, in an import file or in POST /snapshots (docs/configuration.md). */
export const snapshotSchema = z
  .strictObject({
    capturedAt: isoWithOffsetSchema,
    artist: slugSchema.optional(),
    source: z.string().max(200).optional(),
    /** Optional: a snapshot may carry only other counts (a YouTube source sends `views` alone). */
    tracks: tracksSchema.optional(),
    artistStreams: countSchema.optional(),
    followers: countSchema.optional(),
    /** Video id or YouTube id -> cumulative views; checked like `tracks`. */
    views: tracksSchema.optional(),
  })
  .superRefine((snapshot, ctx) => {
    const other =
      snapshot.views !== undefined ||
      snapshot.artistStreams !== undefined ||
      snapshot.followers !== undefined;
    if (snapshot.tracks === undefined && !other) {
      ctx.addIssue({
        code: 'custom',
        path: ['tracks'],
        message: 'is required when the snapshot has no views, artistStreams or followers',
      });
    }
  })
  .transform((snapshot) => ({ ...snapshot, tracks: snapshot.tracks ?? {} }));

export type Snapshot = z.output<typeof snapshotSchema>;
