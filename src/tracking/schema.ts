import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { milestoneKinds, type MilestoneKind } from '../milestone-kinds.js';

/** Slug used for artist, album and track ids: lower-case letters, digits and dashes. */
export const slugSchema = z.string().regex(/^[a-z0-9-]+$/, 'must be a slug of a-z, 0-9 and -');

/** Luxon accepts any two-digit offset (`+25:00`, `+05:99`); real ones lie within ±14:00 with minutes below 60. */
function realOffset(iso: string): boolean {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  return m === null || (Number(m[2]) <= 14 && Number(m[3]) <= 59);
}

/** A calendar, ordinal or week date, then `T`: without a date, luxon would take today's from the clock. */
const isoDatePrefix = /^(?:[+-]\d{6}|\d{4})-?(?:\d{2}-?\d{2}|W\d{2}-?\d|\d{3})T/i;
const isoOffsetSuffix = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** ISO 8601 date-time that carries a date, a time and an explicit offset, and names a real instant. */
export const isoWithOffsetSchema = z
  .string()
  .refine(
    (s) => isoDatePrefix.test(s) && isoOffsetSuffix.test(s),
    'must be an ISO 8601 date-time with an offset',
  )
  .refine(
    (s) => DateTime.fromISO(s, { setZone: true }).isValid && realOffset(s),
    'is not a date-time that exists (ISO 8601 expected)',
  );

const trackSchema = z.strictObject({
  id: slugSchema,
  title: z.string().min(1),
  /** The title as Korean fans write it (matched by Discord autocomplete and lookups); optional. */
  titleKo: z.string().min(1).optional(),
  spotifyId: z.string().min(1).optional(),
  /** Several Spotify ids of one song (a re-release, a duplicate upload); their counts add up. */
  spotifyIds: z.array(z.string().min(1)).min(1, 'list at least one id, or leave spotifyIds out').optional(),
  releasedAt: isoWithOffsetSchema.optional(),
});

const albumSchema = z.strictObject({
  id: slugSchema,
  title: z.string().min(1),
  /** The title as Korean fans write it; optional. */
  titleKo: z.string().min(1).optional(),
  spotifyId: z.string().min(1).optional(),
  releasedAt: isoWithOffsetSchema,
  tracks: z.array(trackSchema).min(1, 'an album needs at least one track'),
});

/** A YouTube video id: 11 characters of letters, digits, `-` and `_`. */
export const youtubeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{11}$/, 'must be a YouTube video id (11 characters of A-Z, a-z, 0-9, - and _)');

/** A YouTube video whose views are tracked (kind `views`), attached to at most one song or album. */
const videoSchema = z
  .strictObject({
    id: slugSchema,
    title: z.string().min(1),
    youtubeId: youtubeIdSchema,
    trackId: slugSchema.optional(),
    albumId: slugSchema.optional(),
    releasedAt: isoWithOffsetSchema,
  })
  .refine((video) => video.trackId === undefined || video.albumId === undefined, {
    message: 'give trackId or albumId, not both (a song already names its album)',
    path: ['albumId'],
  });

const segmentSchema = z.strictObject({
  every: z.int().positive(),
  until: z.int().positive().optional(),
});

/** Ladder segments, in order; only the last one may omit `until`, and each `until` must rise. */
const ladderSchema = z
  .array(segmentSchema)
  .min(1, 'a ladder needs at least one segment')
  .superRefine((segments, ctx) => {
    let prev = 0;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      if (segment.until === undefined) {
        if (!last)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'until'],
            message: 'only the last segment may omit until',
          });
        return;
      }
      if (segment.until <= prev) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'until'],
          message: `must be greater than the previous segment's until (${prev})`,
        });
      }
      prev = segment.until;
    });
  });

export { milestoneKinds, type MilestoneKind };

const optionalLadder = ladderSchema.optional();

/** `milestones`: one optional ladder per kind of the kinds table. */
const ladderShape = Object.fromEntries(milestoneKinds.map((kind) => [kind, optionalLadder])) as {
  readonly [K in MilestoneKind]: typeof optionalLadder;
};
export const milestoneKindSchema = z.enum(milestoneKinds);

const recordSchema = z.strictObject({
  kind: milestoneKindSchema,
  threshold: z.int().positive(),
  days: z.int().min(0),
  holder: z.string().min(1),
  title: z.string().min(1),
  albumId: slugSchema.optional(),
});

/** `$schema`: the JSON Schema an editor checks the file against (config/schema/); ignored by the bot. */
export const jsonSchemaRefSchema = z.string().optional();

export const trackingConfigSchema = z
  .strictObject({
    $schema: jsonSchemaRefSchema,
    artist: z.strictObject({
      id: slugSchema,
      name: z.string().min(1),
      callName: z.string().min(1),
      spotifyId: z.string().min(1).optional(),
      hashtags: z.array(z.string().regex(/^#\S+$/, 'must be a hashtag like #Layover')).optional(),
    }),
    timezone: z
      .string()
      .refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone such as Asia/Seoul')
      .default('Asia/Seoul'),
    albums: z.array(albumSchema).min(1, 'at least one album is needed'),
    videos: z.array(videoSchema).optional(),
    milestones: z.strictObject(ladderShape),
    records: z.array(recordSchema).optional(),
  })
  .superRefine((config, ctx) => {
    const albumIds = new Set<string>();
    const trackIds = new Map<string, string>();
    config.albums.forEach((album, a) => {
      if (albumIds.has(album.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['albums', a, 'id'],
          message: `duplicate album id "${album.id}"`,
        });
      }
      albumIds.add(album.id);
      album.tracks.forEach((track, t) => {
        if (trackIds.has(track.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['albums', a, 'tracks', t, 'id'],
            message: `duplicate track id "${track.id}" (also on album "${trackIds.get(track.id)}")`,
          });
        }
        trackIds.set(track.id, album.id);
      });
    });
    // Track ids and Spotify ids share one key space in snapshots, so a Spotify id may name only its own track.
    const spotifyOwners = new Map<string, string>();
    config.albums.forEach((album, a) => {
      album.tracks.forEach((track, t) => {
        const ids: { id: string; path: (string | number)[] }[] = [];
        if (track.spotifyId !== undefined) ids.push({ id: track.spotifyId, path: ['spotifyId'] });
        track.spotifyIds?.forEach((id, k) => ids.push({ id, path: ['spotifyIds', k] }));
        for (const { id: spotifyId, path: field } of ids) {
          const owner = spotifyOwners.get(spotifyId);
          const path = ['albums', a, 'tracks', t, ...field];
          if (owner !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path,
              message:
                owner === track.id
                  ? `spotifyId "${spotifyId}" is listed twice for this track`
                  : `spotifyId "${spotifyId}" is already used by track "${owner}"`,
            });
          } else if (spotifyId !== track.id && trackIds.has(spotifyId)) {
            ctx.addIssue({
              code: 'custom',
              path,
              message: `spotifyId "${spotifyId}" is the id of another track`,
            });
          }
          if (owner === undefined) spotifyOwners.set(spotifyId, track.id);
        }
      });
    });
    // Video ids and YouTube ids share one key space in snapshots' `views`; ids are unique across tracks and videos.
    const videoKeys = new Map<string, string>();
    config.videos?.forEach((video, v) => {
      if (trackIds.has(video.id) || videoKeys.has(video.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['videos', v, 'id'],
          message: trackIds.has(video.id)
            ? `id "${video.id}" is already a track id`
            : `duplicate video id "${video.id}"`,
        });
      }
      const owner = videoKeys.get(video.youtubeId);
      if (owner !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['videos', v, 'youtubeId'],
          message: `youtubeId "${video.youtubeId}" is already used by video "${owner}"`,
        });
      }
      videoKeys.set(video.id, video.id);
      if (owner === undefined) videoKeys.set(video.youtubeId, video.id);
      if (video.trackId !== undefined && !trackIds.has(video.trackId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['videos', v, 'trackId'],
          message: `no track with id "${video.trackId}"`,
        });
      }
      if (video.albumId !== undefined && !albumIds.has(video.albumId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['videos', v, 'albumId'],
          message: `no album with id "${video.albumId}"`,
        });
      }
    });
    config.records?.forEach((record, r) => {
      if (record.albumId !== undefined && !albumIds.has(record.albumId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['records', r, 'albumId'],
          message: `no album with id "${record.albumId}"`,
        });
      }
    });
  });

export type TrackingConfigInput = z.input<typeof trackingConfigSchema>;
export type TrackingConfigData = z.output<typeof trackingConfigSchema>;
export type LadderSegment = z.output<typeof segmentSchema>;
export type Ladder = readonly LadderSegment[];
export type RecordEntry = z.output<typeof recordSchema>;
export type VideoEntry = z.output<typeof videoSchema>;

/** Formats a zod issue path the way every error in this project names a place: `albums[0].tracks[2].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (part === '') out += '[""]';
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per zod issue: `<json.path>: <message>`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}
