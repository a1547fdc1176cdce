import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState, Milestone, MilestoneKind } from '../../src/milestones/types.js';
import type { LadderSegment, TrackingConfigInput } from '../../src/tracking/schema.js';
import { snapshotFor, trackingFrom } from '../helpers/engine-fixtures.js';

/** mulberry32: a tiny seeded generator, so that every run checks the same cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Rng = ReturnType<typeof rng>;

const kinds: readonly MilestoneKind[] = ['track', 'album', 'allTracks', 'artist', 'followers'];
const zones = ['Asia/Seoul', 'America/New_York', 'Europe/London', 'UTC', 'Australia/Lord_Howe'];
const offsets = [540, -240, 0, 330, -600, 60];

// ---------------------------------------------------------------- the reference model

/** Every threshold up to `max`, listed one at a time (the ladder rule, read literally). */
function listThresholds(ladder: readonly LadderSegment[], max: number): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const { every, until } of ladder) {
    for (let n = 1; prev + n * every <= (until ?? max) && prev + n * every <= max; n += 1)
      out.push(prev + n * every);
    if (until === undefined) break;
    prev = until;
  }
  return out;
}

interface RawSnapshot {
  capturedAt: string;
  tracks: Record<string, number>;
  artistStreams?: number;
  followers?: number;
}

interface ModelSubject {
  key: string;
  kind: MilestoneKind;
  albumId: string | null;
  trackId: string | null;
  value: number;
  lastTrackId: string | null;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (as epoch ms of its UTC midnight) of an instant in `zone`, straight from Intl. */
function localDate(ms: number, zone: string): number {
  let format = dateFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(zone, format);
  }
  return Date.parse(format.format(ms));
}

class ReferenceModel {
  /** Subject key -> capturedAt (ms) of the value last applied to it: staleness is per subject. */
  private readonly lastMs = new Map<string, number>();
  /** Subject key -> every threshold reached so far (a subject is "seen" once it has an entry). */
  readonly reached = new Map<string, Set<number>>();

  constructor(private readonly config: TrackingConfigInput) {}

  apply(raw: RawSnapshot): Milestone[] | 'stale' {
    const ms = DateTime.fromISO(raw.capturedAt, { setZone: true }).toMillis();
    const counts = this.countsById(raw.tracks);
    const out: Milestone[] = [];
    let read = 0;
    let taken = 0;
    for (const subject of this.subjects(raw, counts)) {
      const ladder = this.config.milestones[subject.kind];
      if (ladder === undefined) continue;
      read += 1;
      const last = this.lastMs.get(subject.key);
      if (last !== undefined && ms <= last) continue;
      this.lastMs.set(subject.key, ms);
      taken += 1;
      const passed = listThresholds(ladder, subject.value);
      const reached = this.reached.get(subject.key);
      if (reached === undefined) {
        this.reached.set(subject.key, new Set(passed));
        continue;
      }
      const highest = Math.max(0, ...reached);
      const fresh = passed.filter((t) => t > highest);
      for (const t of passed) reached.add(t);
      const top = fresh.at(-1);
      if (top !== undefined) out.push(this.milestone(subject, top, raw.capturedAt, ms));
    }
    return read > 0 && taken === 0 ? 'stale' : out;
  }

  private countsById(tracks: Record<string, number>): Map<string, number> {
    const counts = new Map<string, number>();
    for (const album of this.config.albums) {
      for (const track of album.tracks) {
        const count =
          tracks[track.id] ?? (track.spotifyId === undefined ? undefined : tracks[track.spotifyId]);
        if (count !== undefined) counts.set(track.id, count);
      }
    }
    return counts;
  }

  private subjects(raw: RawSnapshot, counts: Map<string, number>): ModelSubject[] {
    const list: ModelSubject[] = [];
    for (const album of this.config.albums) {
      const values = album.tracks.map((t) => ({ id: t.id, count: counts.get(t.id) }));
      if (values.some((v) => v.count === undefined)) continue;
      const sorted = values.map((v) => ({ id: v.id, count: v.count ?? 0 }));
      sorted.sort((x, y) => x.count - y.count || (x.id < y.id ? -1 : 1));
      const total = sorted.reduce((sum, v) => sum + v.count, 0);
      const base = { albumId: album.id, trackId: null };
      list.push({ ...base, key: `album:${album.id}`, kind: 'album', value: total, lastTrackId: null });
      const lowest = sorted[0];
      if (lowest !== undefined) {
        list.push({
          ...base,
          key: `allTracks:${album.id}`,
          kind: 'allTracks',
          value: lowest.count,
          lastTrackId: lowest.id,
        });
      }
    }
    if (raw.artistStreams !== undefined) {
      list.push({
        key: 'artist',
        kind: 'artist',
        albumId: null,
        trackId: null,
        value: raw.artistStreams,
        lastTrackId: null,
      });
    }
    for (const album of this.config.albums) {
      for (const track of album.tracks) {
        const count = counts.get(track.id);
        if (count === undefined) continue;
        list.push({
          key: `track:${track.id}`,
          kind: 'track',
          albumId: album.id,
          trackId: track.id,
          value: count,
          lastTrackId: null,
        });
      }
    }
    if (raw.followers !== undefined) {
      list.push({
        key: 'followers',
        kind: 'followers',
        albumId: null,
        trackId: null,
        value: raw.followers,
        lastTrackId: null,
      });
    }
    return list;
  }

  private release(subject: ModelSubject, ms: number): { ms: number } | null {
    const at = (iso: string | undefined) =>
      iso === undefined ? null : { ms: DateTime.fromISO(iso).toMillis() };
    const albums = this.config.albums;
    if (subject.kind === 'track') {
      const album = albums.find((a) => a.id === subject.albumId);
      return at(album?.tracks.find((t) => t.id === subject.trackId)?.releasedAt ?? album?.releasedAt);
    }
    if (subject.kind === 'album' || subject.kind === 'allTracks') {
      return at(albums.find((a) => a.id === subject.albumId)?.releasedAt);
    }
    const out = albums
      .map((a) => DateTime.fromISO(a.releasedAt).toMillis())
      .filter((released) => released <= ms)
      .sort((x, y) => y - x);
    return out[0] === undefined ? null : { ms: out[0] };
  }

  private milestone(subject: ModelSubject, threshold: number, capturedAt: string, ms: number): Milestone {
    const zone = this.config.timezone ?? 'Asia/Seoul';
    const release = this.release(subject, ms);
    const days = release === null ? null : (localDate(ms, zone) - localDate(release.ms, zone)) / 86_400_000;
    let record: Milestone['record'] = null;
    for (const r of this.config.records ?? []) {
      if (r.kind !== subject.kind || r.threshold !== threshold || days === null || r.days <= days) continue;
      if (r.albumId !== undefined && r.albumId !== subject.albumId) continue;
      if (record === null || r.days < record.previousDays) {
        record = { title: r.title, holder: r.holder, previousDays: r.days };
      }
    }
    return {
      id: `${this.config.artist.id}/${subject.key}/${threshold}`,
      artistId: this.config.artist.id,
      kind: subject.kind,
      albumId: subject.albumId,
      trackId: subject.trackId,
      videoId: null,
      threshold,
      value: subject.value,
      observedAt: capturedAt,
      daysSinceRelease: days,
      lastTrackId: subject.lastTrackId,
      record,
    };
  }
}

// ---------------------------------------------------------------- random inputs

function isoAt(ms: number, offsetMinutes: number): string {
  return DateTime.fromMillis(ms, { zone: FixedOffsetZone.instance(offsetMinutes) }).toISO({
    suppressMilliseconds: true,
  }) as string;
}

function randomLadder(r: Rng): LadderSegment[] {
  const segments: LadderSegment[] = [];
  const count = r.int(1, 3);
  let prev = 0;
  for (let i = 0; i < count; i += 1) {
    const every = r.int(3, 25);
    const last = i === count - 1;
    if (last && r.chance(0.8)) {
      segments.push({ every });
    } else {
      prev += r.int(1, 80);
      segments.push({ every, until: prev });
    }
  }
  return segments;
}

const base2023 = Date.parse('2023-01-01T00:00:00Z');
const dayMs = 86_400_000;

function randomConfig(r: Rng): TrackingConfigInput {
  const albums: TrackingConfigInput['albums'] = [];
  const albumCount = r.int(1, 2);
  for (let a = 0; a < albumCount; a += 1) {
    const releasedMs = base2023 + r.int(0, 40) * dayMs + r.int(0, 23) * 3_600_000;
    const tracks: TrackingConfigInput['albums'][number]['tracks'] = [];
    const trackCount = r.int(1, 3);
    for (let t = 0; t < trackCount; t += 1) {
      const id = `t${a}${t}${r.pick(['', 'a', 'z'])}`;
      const track: TrackingConfigInput['albums'][number]['tracks'][number] = { id, title: id };
      if (r.chance(0.4)) track.spotifyId = `SP${id.toUpperCase()}`;
      if (r.chance(0.3)) track.releasedAt = isoAt(releasedMs - r.int(1, 40) * dayMs, r.pick(offsets));
      tracks.push(track);
    }
    albums.push({
      id: `al${a}`,
      title: `Album ${a}`,
      releasedAt: isoAt(releasedMs, r.pick(offsets)),
      tracks,
    });
  }
  const milestones: TrackingConfigInput['milestones'] = {};
  for (const kind of kinds) if (r.chance(0.85)) milestones[kind] = randomLadder(r);
  const records: NonNullable<TrackingConfigInput['records']> = [];
  for (let i = r.int(0, 4); i > 0; i -= 1) {
    const kind = r.pick(kinds);
    const ladder = milestones[kind];
    const threshold = ladder === undefined ? r.int(1, 100) : (r.pick(listThresholds(ladder, 300)) ?? 1);
    const record: NonNullable<TrackingConfigInput['records']>[number] = {
      kind,
      threshold,
      days: r.int(0, 60),
      holder: `H${i}`,
      title: `record ${i}`,
    };
    if (r.chance(0.3)) record.albumId = r.pick(albums).id;
    records.push(record);
  }
  return {
    artist: { id: 'v', name: 'V', callName: 'Taehyung' },
    timezone: r.pick(zones),
    albums,
    milestones,
    records,
  };
}

function randomHistory(r: Rng, config: TrackingConfigInput, length: number): RawSnapshot[] {
  const tracks = config.albums.flatMap((a) => a.tracks);
  const values = new Map(tracks.map((t) => [t.id, r.int(0, 30)]));
  let artist = r.int(0, 100);
  let followers = r.int(0, 100);
  const walk = (v: number) => Math.max(0, v + r.int(-8, 14));
  let ms = base2023 + r.int(-5, 45) * dayMs;
  const history: RawSnapshot[] = [];
  for (let i = 0; i < length; i += 1) {
    const step = r.next();
    if (step < 0.1) ms -= r.int(0, 48) * 3_600_000;
    else if (step > 0.15) ms += r.int(1, 60) * 3_600_000 + r.int(0, 59) * 60_000;
    const snapshot: RawSnapshot = { capturedAt: isoAt(ms, r.pick(offsets)), tracks: {} };
    for (const track of tracks) {
      const value = walk(values.get(track.id) ?? 0);
      values.set(track.id, value);
      if (r.chance(0.15)) continue;
      snapshot.tracks[track.spotifyId !== undefined && r.chance(0.5) ? track.spotifyId : track.id] = value;
    }
    if (r.chance(0.2)) snapshot.tracks['not-tracked'] = r.int(0, 1000);
    artist = walk(artist);
    followers = walk(followers);
    if (r.chance(0.7)) snapshot.artistStreams = artist;
    if (r.chance(0.7)) snapshot.followers = followers;
    history.push(snapshot);
  }
  return history;
}

// ---------------------------------------------------------------- the property

describe('advanceArtist against a naive reference model (seeded, deterministic)', () => {
  it('announces the same milestones and keeps the same state over 200 random histories of 40 snapshots', () => {
    let announced = 0;
    let stale = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const r = rng(seed);
      const config = randomConfig(r);
      const tracking = trackingFrom(config);
      const model = new ReferenceModel(config);
      let state: ArtistState = emptyArtistState;
      const seenIds = new Set<string>();
      for (const [step, raw] of randomHistory(r, config, 40).entries()) {
        const where = () => `seed ${seed}, step ${step}: ${JSON.stringify(raw)}`;
        const expected = model.apply(raw);
        const result = advanceArtist(tracking, state, snapshotFor(tracking, raw));
        // Cheap comparisons first; vitest's deep diff runs only on a mismatch, to keep 16,000 steps fast.
        if (expected === 'stale') {
          if (result.status !== 'stale' || result.state !== state)
            expect({ status: result.status, same: result.state === state }, where()).toEqual({
              status: 'stale',
              same: true,
            });
          stale += 1;
          continue;
        }
        if (result.status === 'stale') expect.fail(`${where()}: engine called a fresh snapshot stale`);
        if (JSON.stringify(result.milestones) !== JSON.stringify(expected)) {
          expect(result.milestones, where()).toEqual(expected);
        }
        for (const m of result.milestones) {
          if (seenIds.has(m.id)) expect.fail(`${where()}: ${m.id} announced twice`);
          seenIds.add(m.id);
        }
        announced += result.milestones.length;
        state = result.state;
        const highest = new Map([...model.reached].map(([key, set]) => [key, Math.max(0, ...set)] as const));
        const reached = new Map([...state.subjects].map(([k, s]) => [k, s[0]] as const));
        if (highest.size !== reached.size || [...highest].some(([k, v]) => reached.get(k) !== v)) {
          expect(reached, where()).toEqual(highest);
        }
      }
    }
    // The generator must actually exercise the rules, not just produce quiet histories.
    expect(announced).toBeGreaterThan(2_000);
    expect(stale).toBeGreaterThan(500);
  });
});
