import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrackings, parseTrackingText, TrackingConfigError } from '../../src/tracking/load-tracking.js';
import { formatPath, type TrackingConfigInput } from '../../src/tracking/schema.js';
import { smallConfig, trackingFrom } from '../helpers/engine-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tracking-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

/** The problems `parseTrackingText` reports for a config changed by `edit`. */
function problemsAfter(edit: (config: TrackingConfigInput & Record<string, unknown>) => void): string[] {
  const config = structuredClone(smallConfig()) as TrackingConfigInput & Record<string, unknown>;
  edit(config);
  return parseTrackingText('cfg.json', JSON.stringify(config)).problems;
}

function album0(config: TrackingConfigInput) {
  const album = config.albums[0];
  if (album === undefined) throw new Error('fixture has an album');
  return album;
}

describe('the shipped config/layover.json', () => {
  const [layover] = loadTrackings(['config/layover.json']);

  it('loads with the six Layover tracks in album order', () => {
    expect(layover?.albums[0]?.tracks.map((t) => t.id)).toEqual([
      'rainy-days',
      'blue',
      'love-me-again',
      'slow-dancing',
      'for-us',
      'slow-dancing-piano',
    ]);
    expect(layover?.timezone).toBe('Asia/Seoul');
  });

  it('resolves pre-release dates and lets tracks be keyed by Spotify id', () => {
    expect(layover?.tracksById.get('rainy-days')?.releasedAt).toBe('2023-08-11T13:00:00+09:00');
    expect(layover?.tracksById.get('blue')?.releasedAt).toBe('2023-09-08T13:00:00+09:00');
    expect(layover?.trackKeyToId.get('5ydjxBSUIDn26MFzU3asP4')).toBe('rainy-days');
    expect(layover?.trackKeyToId.get('2N0SPREDYqILVEFSsWF5N5')).toBe('love-me-again');
  });
});

describe('buildTracking', () => {
  it('gives a track without releasedAt its album release, and one with it its own', () => {
    const tracking = trackingFrom(smallConfig());
    expect(tracking.tracksById.get('b')).toMatchObject({
      albumId: 'first',
      releasedAt: '2023-09-08T13:00:00+09:00',
      releasedAtMs: Date.parse('2023-09-08T04:00:00Z'),
    });
    expect(tracking.tracksById.get('pre')?.releasedAt).toBe('2023-08-11T13:00:00+09:00');
  });

  it('maps track ids and Spotify ids to track ids, and nothing else', () => {
    const tracking = trackingFrom(smallConfig());
    expect(Object.fromEntries(tracking.trackKeyToId)).toEqual({
      pre: 'pre',
      SpotPre: 'pre',
      b: 'b',
      c: 'c',
      SpotC: 'c',
    });
  });

  it('defaults the timezone to Asia/Seoul and records to none', () => {
    const config = smallConfig();
    delete config.timezone;
    delete config.records;
    const tracking = trackingFrom(config);
    expect(tracking.timezone).toBe('Asia/Seoul');
    expect(tracking.records).toEqual([]);
  });

  it('sorts albums by release for the artist-level day count, whatever the file order', () => {
    const config = smallConfig();
    config.albums.unshift({
      id: 'later',
      title: 'Later',
      releasedAt: '2024-03-15T13:00:00+09:00',
      tracks: [{ id: 'x', title: 'X' }],
    });
    config.albums.push({
      id: 'earliest',
      title: 'Earliest',
      releasedAt: '2020-01-01T00:00:00Z',
      tracks: [{ id: 'y', title: 'Y' }],
    });
    expect(trackingFrom(config).albumsByRelease.map((a) => a.id)).toEqual(['earliest', 'first', 'later']);
  });
});

describe('config validation problems are listed as <file>: <json.path>: <message>', () => {
  it('lists several problems of one file at once', () => {
    const problems = problemsAfter((c) => {
      c.timezone = 'Mars/Olympus_Mons';
      album0(c).releasedAt = '2023-09-08T13:00:00';
      c.milestones.track = [{ every: 10 }, { every: 50, until: 100 }];
      c.artist.id = 'Not A Slug';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'cfg.json: artist.id: must be a slug of a-z, 0-9 and -',
        'cfg.json: timezone: must be an IANA time zone such as Asia/Seoul',
        'cfg.json: albums[0].releasedAt: must be an ISO 8601 date-time with an offset',
        'cfg.json: milestones.track[0].until: only the last segment may omit until',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('rejects a date that does not exist', () => {
    expect(
      problemsAfter((c) => {
        album0(c).releasedAt = '2023-02-30T13:00:00+09:00';
      }),
    ).toEqual(['cfg.json: albums[0].releasedAt: is not a date-time that exists (ISO 8601 expected)']);
  });

  it('rejects a time without a date instead of taking today from the clock', () => {
    expect(
      problemsAfter((c) => {
        album0(c).releasedAt = '13:00:00+09:00';
      }),
    ).toEqual(['cfg.json: albums[0].releasedAt: must be an ISO 8601 date-time with an offset']);
  });

  it('accepts Z, basic-format and ordinal ISO 8601 date-times', () => {
    for (const releasedAt of ['2023-09-08T04:00:00Z', '20230908T130000+0900', '2023-251T13:00+09:00']) {
      expect(
        problemsAfter((c) => {
          album0(c).releasedAt = releasedAt;
        }),
        releasedAt,
      ).toEqual([]);
    }
  });

  it('rejects a ladder whose until does not rise', () => {
    expect(
      problemsAfter((c) => {
        c.milestones.album = [{ every: 100, until: 500 }, { every: 50, until: 500 }, { every: 50 }];
      }),
    ).toEqual([
      "cfg.json: milestones.album[1].until: must be greater than the previous segment's until (500)",
    ]);
  });

  it('rejects steps that are not positive whole numbers', () => {
    const problems = problemsAfter((c) => {
      c.milestones.followers = [{ every: 0 }];
      c.milestones.track = [{ every: 2.5 }];
    });
    expect(problems.map((p) => p.split(': ').slice(0, 2).join(': '))).toEqual([
      'cfg.json: milestones.track[0].every',
      'cfg.json: milestones.followers[0].every',
    ]);
  });

  it('rejects duplicate album and track ids', () => {
    expect(
      problemsAfter((c) => {
        c.albums.push({
          id: 'first',
          title: 'Again',
          releasedAt: '2024-01-01T00:00:00+09:00',
          tracks: [{ id: 'b', title: 'B again' }],
        });
      }),
    ).toEqual([
      'cfg.json: albums[1].id: duplicate album id "first"',
      'cfg.json: albums[1].tracks[0].id: duplicate track id "b" (also on album "first")',
    ]);
  });

  it('rejects a Spotify id shared by two tracks', () => {
    expect(
      problemsAfter((c) => {
        const b = album0(c).tracks[1];
        if (b !== undefined) b.spotifyId = 'SpotC';
      }),
    ).toEqual(['cfg.json: albums[0].tracks[2].spotifyId: spotifyId "SpotC" is already used by track "b"']);
  });

  it('rejects a Spotify id equal to the id of another track, before or after it', () => {
    expect(
      problemsAfter((c) => {
        const [pre, , c3] = album0(c).tracks;
        if (pre !== undefined) pre.spotifyId = 'c';
        if (c3 !== undefined) c3.spotifyId = 'b';
      }),
    ).toEqual([
      'cfg.json: albums[0].tracks[0].spotifyId: spotifyId "c" is the id of another track',
      'cfg.json: albums[0].tracks[2].spotifyId: spotifyId "b" is the id of another track',
    ]);
  });

  it("accepts a Spotify id equal to the track's own id", () => {
    expect(
      problemsAfter((c) => {
        const b = album0(c).tracks[1];
        if (b !== undefined) b.spotifyId = 'b';
      }),
    ).toEqual([]);
  });

  it('rejects a record that names an unknown album, and unknown keys', () => {
    expect(
      problemsAfter((c) => {
        c.records = [
          { kind: 'album', threshold: 500, days: 58, holder: 'FACE', title: 'fastest', albumId: 'nope' },
        ];
        c.extra = true;
      }),
    ).toEqual([
      'cfg.json: (root): Unrecognized key: "extra"',
      'cfg.json: records[0].albumId: no album with id "nope"',
    ]);
  });

  it('reports text that is not JSON', () => {
    expect(parseTrackingText('cfg.json', '{"artist":').problems).toEqual([
      expect.stringMatching(/^cfg\.json: \(root\): not valid JSON \(/),
    ]);
  });

  it('formats paths with dots for keys and brackets for indexes', () => {
    expect(formatPath(['albums', 0, 'tracks', 2, 'id'])).toBe('albums[0].tracks[2].id');
    expect(formatPath([])).toBe('(root)');
    expect(formatPath([3, 'x'])).toBe('[3].x');
  });
});

describe('loadTrackings', () => {
  it('loads several files, one tracking per artist', () => {
    const a = writeConfig('a.json', smallConfig());
    const other = smallConfig();
    other.artist.id = 'jimin';
    const b = writeConfig('b.json', other);
    expect(loadTrackings([a, b]).map((t) => t.artist.id)).toEqual(['v', 'jimin']);
  });

  it('throws one error listing the problems of every file, including an artist id used twice', () => {
    const good = writeConfig('good.json', smallConfig());
    const twin = writeConfig('twin.json', smallConfig());
    const broken = smallConfig();
    broken.timezone = 'Nowhere/Special';
    const bad = writeConfig('bad.json', broken);
    const missing = join(dir, 'missing.json');
    let thrown: unknown;
    try {
      loadTrackings([good, twin, bad, missing]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TrackingConfigError);
    const problems = (thrown as TrackingConfigError).problems;
    expect(problems).toEqual([
      `${twin}: artist.id: artist id "v" is already used by ${good}`,
      `${bad}: timezone: must be an IANA time zone such as Asia/Seoul`,
      `${missing}: (root): cannot read the file (ENOENT)`,
    ]);
    for (const problem of problems) expect((thrown as Error).message).toContain(problem);
  });
});
