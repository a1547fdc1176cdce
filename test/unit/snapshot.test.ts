import { describe, expect, it } from 'vitest';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import {
  detailedTracksSchema,
  snapshotSchema,
  tracksSchema,
  type Snapshot,
} from '../../src/snapshots/schema.js';
import { seededRandom } from '../helpers/random.js';
import { formatIssues } from '../../src/tracking/schema.js';
import { smallConfig, trackingFrom } from '../helpers/engine-fixtures.js';

const valid = {
  capturedAt: '2023-10-11T23:00:00+09:00',
  artist: 'v',
  source: 'kworb',
  tracks: { pre: 85, b: 40, c: 41 },
  artistStreams: 1_500_600_000,
  followers: 15_720_000,
};

/** `path: message` lines for a snapshot, or [] when it is accepted. */
function problemsOf(raw: unknown): string[] {
  const parsed = snapshotSchema.safeParse(raw);
  return parsed.success ? [] : formatIssues(parsed.error);
}

function parse(raw: unknown): Snapshot {
  return snapshotSchema.parse(raw);
}

describe('snapshot schema', () => {
  it('accepts the documented shape, with or without the optional fields', () => {
    expect(problemsOf(valid)).toEqual([]);
    expect(problemsOf({ capturedAt: '2023-10-11T14:00:00Z', tracks: {} })).toEqual([]);
  });

  it('accepts counts from 0 to 2^53-1', () => {
    expect(problemsOf({ ...valid, tracks: { b: 0, c: Number.MAX_SAFE_INTEGER } })).toEqual([]);
  });

  it('rejects negative, fractional, too large and string counts, naming each field path', () => {
    expect(
      problemsOf({
        ...valid,
        tracks: { pre: -1, b: 1.5, c: 2 ** 53, 'other-key': '12' },
        artistStreams: -3,
        followers: 0.25,
      }),
    ).toEqual([
      'tracks.pre: must not be negative',
      'tracks.b: must be a whole number',
      'tracks.c: must be at most 2^53-1',
      'tracks.other-key: must be a number',
      'artistStreams: must not be negative',
      'followers: must be a whole number',
    ]);
  });

  it('rejects null and non-finite counts', () => {
    expect(problemsOf({ ...valid, tracks: { b: null }, followers: Number.POSITIVE_INFINITY })).toEqual([
      'tracks.b: must be a number',
      'followers: must be a number',
    ]);
  });

  it('requires capturedAt', () => {
    const { capturedAt: _, ...rest } = valid;
    expect(problemsOf(rest)).toEqual([expect.stringMatching(/^capturedAt: /)]);
  });

  it('rejects a capturedAt without an offset, without a date, or that does not exist', () => {
    expect(problemsOf({ ...valid, capturedAt: '2023-10-11T23:00:00' })).toEqual([
      'capturedAt: must be an ISO 8601 date-time with an offset',
    ]);
    expect(problemsOf({ ...valid, capturedAt: '23:00:00+09:00' })).toEqual([
      'capturedAt: must be an ISO 8601 date-time with an offset',
    ]);
    expect(problemsOf({ ...valid, capturedAt: '2023-02-30T23:00:00+09:00' })).toEqual([
      'capturedAt: is not a date-time that exists (ISO 8601 expected)',
    ]);
    expect(problemsOf({ ...valid, capturedAt: '2023-10-11T25:00:00+09:00' })).toEqual([
      'capturedAt: is not a date-time that exists (ISO 8601 expected)',
    ]);
  });

  it('rejects a tracks field that is missing (with no other counts) or not an object, and unknown top-level keys', () => {
    const { tracks: _, ...rest } = valid;
    // Tracks may be left out when the snapshot carries other counts.
    expect(problemsOf(rest)).toEqual([]);
    const { artistStreams: _a, followers: _f, ...bare } = rest;
    expect(problemsOf(bare)).toEqual([expect.stringMatching(/^tracks: is required when/)]);
    expect(problemsOf({ ...bare, views: { mv: 1 } })).toEqual([]);
    expect(problemsOf({ ...valid, tracks: [1, 2] })).toEqual([expect.stringMatching(/^tracks: /)]);
    expect(problemsOf({ ...valid, streams: 5 })).toEqual(['(root): Unrecognized key: "streams"']);
  });
});

describe('normalizeSnapshot', () => {
  const v = trackingFrom(smallConfig());
  const jiminConfig = smallConfig();
  jiminConfig.artist.id = 'jimin';
  const jimin = trackingFrom(jiminConfig);
  const onlyV = new Map([['v', v]]);
  const both = new Map([
    ['v', v],
    ['jimin', jimin],
  ]);

  it('resolves the only loaded artist when the snapshot names none', () => {
    const { artist: _, ...anonymous } = valid;
    const result = normalizeSnapshot(parse(anonymous), onlyV);
    expect(result.ok && result.snapshot.artistId).toBe('v');
  });

  it('requires the artist when more than one is loaded', () => {
    const { artist: _, ...anonymous } = valid;
    expect(normalizeSnapshot(parse(anonymous), both)).toEqual({
      ok: false,
      problems: [{ path: 'artist', message: 'is required when more than one artist is tracked' }],
    });
    const named = normalizeSnapshot(parse({ ...valid, artist: 'jimin' }), both);
    expect(named.ok && named.tracking).toBe(jimin);
  });

  it('rejects an unknown artist', () => {
    expect(normalizeSnapshot(parse({ ...valid, artist: 'rm' }), onlyV)).toEqual({
      ok: false,
      problems: [{ path: 'artist', message: 'unknown artist "rm"' }],
    });
  });

  it('maps Spotify ids to track ids and ignores, but counts and names, keys of untracked songs', () => {
    const result = normalizeSnapshot(
      parse({ ...valid, tracks: { SpotPre: 85, b: 40, SpotC: 41, 'Christmas Tree': 9, '0xUnknown': 1 } }),
      onlyV,
    );
    if (!result.ok) throw new Error('expected the snapshot to be accepted');
    expect(Object.fromEntries(result.snapshot.tracks)).toEqual({ pre: 85, b: 40, c: 41 });
    expect(result.snapshot.ignoredTrackKeys).toBe(2);
    expect(result.snapshot.ignoredKeys).toEqual(['Christmas Tree', '0xUnknown']);
  });

  it('accepts a track given under both keys with the same count, and rejects two different counts', () => {
    const same = normalizeSnapshot(parse({ ...valid, tracks: { pre: 85, SpotPre: 85 } }), onlyV);
    expect(same.ok && Object.fromEntries(same.snapshot.tracks)).toEqual({ pre: 85 });
    expect(normalizeSnapshot(parse({ ...valid, tracks: { pre: 85, SpotPre: 86 } }), onlyV)).toEqual({
      ok: false,
      problems: [
        { path: 'tracks.SpotPre', message: 'names track "pre" like "pre" but with another count (86 vs 85)' },
      ],
    });
  });

  it('keeps capturedAt as given and adds its instant', () => {
    const result = normalizeSnapshot(parse({ ...valid, capturedAt: '2023-10-11T10:00:00-04:00' }), onlyV);
    if (!result.ok) throw new Error('expected the snapshot to be accepted');
    expect(result.snapshot).toMatchObject({
      capturedAt: '2023-10-11T10:00:00-04:00',
      capturedAtMs: Date.parse('2023-10-11T14:00:00Z'),
      source: 'kworb',
      artistStreams: 1_500_600_000,
      followers: 15_720_000,
      ignoredTrackKeys: 0,
    });
  });
});

describe('the tracks map fast path', () => {
  /** Values that are, or are nearly, valid counts; keys of every length class. */
  const values: unknown[] = [
    0,
    1,
    41,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    -1,
    1.5,
    -0,
    NaN,
    Infinity,
    '5',
    null,
    undefined,
    true,
    [],
    {},
    2 ** 53,
    1e21,
  ];
  const keys = ['a', 'rainy-days', '0', '', 'x'.repeat(200), 'x'.repeat(201), '__proto__', 'constructor'];

  it('gives the per-entry schema verdict and problems for single entries of every kind', () => {
    for (const key of keys) {
      for (const value of values) {
        const record = JSON.parse(JSON.stringify({ [key]: value ?? null })) as unknown;
        const fast = tracksSchema.safeParse(record);
        const detailed = detailedTracksSchema.safeParse(record);
        expect(fast.success, `${key}: ${String(value)}`).toBe(detailed.success);
        expect(fast.error?.issues.map((i) => [i.path, i.message])).toEqual(
          detailed.error?.issues.map((i) => [i.path, i.message]),
        );
      }
    }
  });

  it('gives the same verdict as the per-entry schema on random maps and on non-maps', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    for (let n = 0; n < 500; n += 1) {
      const record: Record<string, unknown> = {};
      const size = Math.floor(random() * 6);
      for (let i = 0; i < size; i += 1) {
        record[`${pick(keys)}${i}`] = random() < 0.8 ? Math.floor(random() * 1e12) : pick(values);
      }
      expect(tracksSchema.safeParse(record).success).toBe(detailedTracksSchema.safeParse(record).success);
    }
    const others: unknown[] = [
      null,
      [],
      [1],
      'tracks',
      5,
      new Map([['a', 1]]),
      Object.create({ a: 1 }) as object,
    ];
    for (const [i, other] of others.entries()) {
      expect(tracksSchema.safeParse(other).success, `non-map #${i}`).toBe(
        detailedTracksSchema.safeParse(other).success,
      );
    }
  });

  it('passes a valid map through unchanged', () => {
    const tracks = { 'rainy-days': 100, 'love-me-again': 0 };
    expect(tracksSchema.parse(tracks)).toEqual(tracks);
  });
});
