import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSaved } from '../../src/sources/parse-saved.js';
import { SourceError } from '../../src/sources/source.js';
import { seededRandom } from '../helpers/random.js';
import { layoverWithPlaceholderVideos } from '../helpers/tracking-fixtures.js';

const tracking = layoverWithPlaceholderVideos(3);
const trackings = new Map([[tracking.artist.id, tracking]]);
const label = 'videos-list.json';
const fetchedAtMs = Date.parse('2026-11-28T06:00:00Z');
const text = readFileSync(new URL('../fixtures/youtube/videos-list.json', import.meta.url), 'utf8');

const garbage: unknown[] = [
  null,
  -1,
  1.5,
  120345678,
  '-5',
  '1.5',
  '',
  '99999999999999999999',
  {},
  [],
  true,
  'yt000000009',
  '12,345',
];

type Item = { id?: unknown; statistics?: Record<string, unknown> } & Record<string, unknown>;

/** A deep copy of the fixture with one part (chosen by `random`) replaced by garbage or removed. */
function corrupt(random: () => number): string {
  const body = JSON.parse(text) as Record<string, unknown> & { items: Item[] };
  const value = garbage[Math.floor(random() * garbage.length)];
  const item = body.items[Math.floor(random() * body.items.length)] ?? {};
  switch (Math.floor(random() * 8)) {
    case 0:
      body.kind = value;
      break;
    case 1:
      body.items = value as Item[];
      break;
    case 2:
      item.id = value;
      break;
    case 3:
      item.statistics = value as Record<string, unknown>;
      break;
    case 4:
      if (item.statistics !== undefined) item.statistics.viewCount = value;
      break;
    case 5:
      delete item[random() < 0.5 ? 'statistics' : 'id'];
      break;
    case 6:
      // A video YouTube no longer shows (deleted or private): simply absent.
      body.items.splice(body.items.indexOf(item), 1);
      break;
    default:
      // The same video twice, the copy with another count.
      body.items.push(JSON.parse(JSON.stringify(item)) as Item);
      if (item.statistics !== undefined) item.statistics.viewCount = String(value);
  }
  return JSON.stringify(body);
}

describe('YouTube answers under fuzzing', () => {
  it('reads the fixture exactly', () => {
    const { readings, report } = parseSaved('youtube', text, trackings, tracking, fetchedAtMs, label);
    expect(readings[0]?.snapshot.views).toEqual({
      'mv-1': 120_345_678,
      'mv-2': 45_000_001,
      'mv-3': 9_999_999,
    });
    expect(report).toContain('  "mv-2" (Video 2, yt000000002): 45000001 views');
  });

  it('a truncated or corrupted answer is refused with the part at fault, or read exactly: never a made-up count', () => {
    const original = parseSaved('youtube', text, trackings, tracking, fetchedAtMs, label).readings[0]
      ?.snapshot.views;
    const random = seededRandom(2611);
    let refused = 0;
    let partial = 0;
    for (let i = 0; i < 400; i += 1) {
      const damaged = random() < 0.3 ? text.slice(0, Math.floor(random() * text.length)) : corrupt(random);
      let views: Readonly<Record<string, number>> | undefined;
      try {
        views = parseSaved('youtube', damaged, trackings, tracking, fetchedAtMs, label).readings[0]?.snapshot
          .views;
      } catch (error) {
        expect(error).toBeInstanceOf(SourceError);
        expect((error as Error).message).toMatch(
          /^videos-list\.json: (answer is not JSON|the answer is not a videos\.list response|the answer is a .*, not a videoListResponse|the answer has no "items" list|none of the videos of "v" is in this answer|items\[\d\] has no video id|video \S+: (in the answer but not asked for|no "statistics"|no "statistics\.viewCount"|"statistics\.viewCount" is not a count|listed twice with different counts))/,
        );
        refused += 1;
        continue;
      }
      // What is taken is what YouTube sent: a video dropped from the answer has no count, never zero or another.
      expect(views).toBeDefined();
      for (const [video, count] of Object.entries(views ?? {})) expect(count).toBe(original?.[video]);
      if (Object.keys(views ?? {}).length < 3) partial += 1;
    }
    expect(refused).toBeGreaterThan(250);
    expect(partial).toBeGreaterThan(0);
  });
});
