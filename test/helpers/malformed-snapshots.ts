import { seededRandom } from './random.js';

/** One malformed request to POST /snapshots and what the answer must say. */
export interface MalformedCase {
  readonly name: string;
  /** Raw body bytes or text. */
  readonly body: string | Buffer;
  /** Authorization header; `undefined` sends none. `'valid'` sends the right token. */
  readonly auth: string | undefined;
  readonly status: 400 | 401 | 413;
  /** Must match `error`, or one of `problems` when the answer lists them. */
  readonly expect: RegExp;
}

export const VALID_TOKEN = 'test-ingest-token-0123456789abcdef';

export function validSnapshot(day = 11): Record<string, unknown> {
  return {
    capturedAt: `2023-10-${String(day).padStart(2, '0')}T23:00:00+09:00`,
    source: 'fuzz',
    tracks: { 'rainy-days': 90_000_000, '5ydjxBSUIDn26MFzU3asP4': 90_000_000, blue: 55_000_000 },
    artistStreams: 1_480_312_977,
    followers: 15_720_000,
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A field edit that breaks a snapshot, with the problem path and message it must produce. */
interface Breakage {
  readonly name: string;
  readonly apply: (s: Record<string, unknown>) => void;
  readonly path: string;
  readonly message: RegExp;
}

function breakages(): Breakage[] {
  const out: Breakage[] = [];
  const wrongTypes: [string, unknown][] = [
    ['a number', 42],
    ['a string', 'forty'],
    ['a boolean', true],
    ['null', null],
    ['an array', [1, 2]],
    ['an object', { n: 1 }],
  ];
  for (const [label, value] of wrongTypes) {
    if (typeof value !== 'string') {
      out.push({
        name: `capturedAt as ${label}`,
        apply: (s) => (s.capturedAt = value),
        path: 'capturedAt',
        message: /expected string/,
      });
      out.push({
        name: `artist as ${label}`,
        apply: (s) => (s.artist = value),
        path: 'artist',
        message: /expected string/,
      });
      out.push({
        name: `source as ${label}`,
        apply: (s) => (s.source = value),
        path: 'source',
        message: /expected string/,
      });
    }
    if (!(typeof value === 'object' && value !== null && !Array.isArray(value))) {
      out.push({
        name: `tracks as ${label}`,
        apply: (s) => (s.tracks = value),
        path: 'tracks',
        message: /expected record/,
      });
    }
    if (typeof value !== 'number') {
      for (const field of ['artistStreams', 'followers']) {
        out.push({
          name: `${field} as ${label}`,
          apply: (s) => (s[field] = value),
          path: field,
          message: /must be a number/,
        });
      }
      out.push({
        name: `a track count as ${label}`,
        apply: (s) => ((s.tracks as Record<string, unknown>).blue = value),
        path: 'tracks.blue',
        message: /must be a number/,
      });
    }
  }
  const badCounts: [string, number, RegExp][] = [
    ['negative', -1, /must not be negative/],
    ['very negative', -9_007_199_254_740_991, /must not be negative/],
    ['fractional', 1.5, /must be a whole number/],
    ['2^53', 2 ** 53, /must be at most 2\^53-1/],
    ['1e20', 1e20, /must be at most 2\^53-1/],
    ['1e300', 1e300, /must be at most 2\^53-1/],
  ];
  for (const [label, value, message] of badCounts) {
    for (const field of ['artistStreams', 'followers']) {
      out.push({ name: `${field} ${label}`, apply: (s) => (s[field] = value), path: field, message });
    }
    out.push({
      name: `track count ${label}`,
      apply: (s) => ((s.tracks as Record<string, unknown>)['rainy-days'] = value),
      path: 'tracks.rainy-days',
      message,
    });
  }
  const badDates: [string, RegExp][] = [
    ['2023-10-11', /with an offset/],
    ['2023-10-11T23:00:00', /with an offset/],
    ['2023-02-30T00:00:00+09:00', /does not exist|not a date-time/],
    ['2023-13-01T00:00:00Z', /does not exist|not a date-time/],
    ['2023-10-11T25:00:00+09:00', /does not exist|not a date-time/],
    ['yesterday', /with an offset/],
    ['', /with an offset/],
    ['11/10/2023 23:00 +09:00', /does not exist|not a date-time/],
    ['2023-10-11T23:00:00+25:00', /does not exist|not a date-time/],
    ['0000-00-00T00:00:00Z', /does not exist|not a date-time/],
  ];
  for (const [value, message] of badDates) {
    out.push({
      name: `capturedAt "${value}"`,
      apply: (s) => (s.capturedAt = value),
      path: 'capturedAt',
      message,
    });
  }
  out.push({
    name: 'missing capturedAt',
    apply: (s) => delete s.capturedAt,
    path: 'capturedAt',
    message: /expected string, received undefined/,
  });
  // `tracks` may be left out only when the snapshot carries other counts.
  out.push({
    name: 'missing tracks and every other count',
    apply: (s) => {
      delete s.tracks;
      delete s.artistStreams;
      delete s.followers;
    },
    path: 'tracks',
    message: /is required when the snapshot has no views, artistStreams or followers/,
  });
  out.push({
    name: 'unknown artist',
    apply: (s) => (s.artist = 'nobody'),
    path: 'artist',
    message: /unknown artist "nobody"/,
  });
  out.push({
    name: 'artist not a slug',
    apply: (s) => (s.artist = 'V!'),
    path: 'artist',
    message: /must be a slug/,
  });
  out.push({
    name: 'unknown field',
    apply: (s) => (s.plays = 1),
    path: '(root)',
    message: /Unrecognized key.*plays/,
  });
  out.push({
    name: 'one track under two keys with two counts',
    apply: (s) => ((s.tracks as Record<string, unknown>)['5ydjxBSUIDn26MFzU3asP4'] = 1),
    path: 'tracks.5ydjxBSUIDn26MFzU3asP4',
    message: /names track "rainy-days" like "rainy-days" but with another count/,
  });
  out.push({
    name: 'empty track key',
    apply: (s) => ((s.tracks as Record<string, unknown>)[''] = 1),
    path: 'tracks[""]',
    message: /track keys must be 1 to 200 characters/,
  });
  out.push({
    name: 'source too long',
    apply: (s) => (s.source = 'x'.repeat(201)),
    path: 'source',
    message: /too big|at most|<=200/i,
  });
  return out;
}

function problemRegex(path: string, message: RegExp): RegExp {
  return new RegExp(`^${escape(path)}: .*(${message.source})`);
}

function batchPath(index: number, path: string): string {
  if (path === '(root)') return `[${index}]`;
  return `[${index}].${path}`;
}

/**
 * At least 200 malformed requests, deterministic for a seed: wrong types, huge and negative numbers, missing
 * fields, bad dates, unknown artists and keys (alone and hidden in batches of good snapshots), deep nesting,
 * non-JSON and non-UTF-8 bodies, oversize bodies and batches, and bad tokens.
 */
export function malformedCases(seed: number): MalformedCase[] {
  const random = seededRandom(seed);
  const cases: MalformedCase[] = [];
  for (const b of breakages()) {
    const single = validSnapshot();
    b.apply(single);
    cases.push({
      name: `single: ${b.name}`,
      body: JSON.stringify(single),
      auth: 'valid',
      status: 400,
      expect: problemRegex(b.path, b.message),
    });
    const size = 2 + Math.floor(random() * 30);
    const index = Math.floor(random() * size);
    const batch = Array.from({ length: size }, (_, i) => validSnapshot(1 + (i % 28)));
    const bad = validSnapshot();
    b.apply(bad);
    batch[index] = bad;
    cases.push({
      name: `batch of ${size}, item ${index}: ${b.name}`,
      body: JSON.stringify(batch),
      auth: 'valid',
      status: 400,
      expect: problemRegex(batchPath(index, b.path), b.message),
    });
  }
  // Numbers JSON can write but JavaScript cannot hold.
  for (const literal of ['1e400', '-1e400', '9007199254740993', '123456789012345678901234567890']) {
    cases.push({
      name: `track count literal ${literal}`,
      body: JSON.stringify(validSnapshot()).replace('55000000', literal),
      auth: 'valid',
      status: 400,
      expect: /^tracks\.blue: /,
    });
  }
  for (const depth of [17, 18, 32, 100, 1000, 10_000, 100_000]) {
    cases.push({
      name: `arrays nested ${depth} deep`,
      body: '['.repeat(depth) + ']'.repeat(depth),
      auth: 'valid',
      status: 400,
      expect: /deeper than 16 levels/,
    });
    cases.push({
      name: `objects nested ${depth} deep in tracks`,
      body: `{"capturedAt":"2023-10-11T23:00:00+09:00","tracks":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      auth: 'valid',
      status: 400,
      expect: /deeper than 16 levels/,
    });
  }
  const notJson: [string, string | Buffer, RegExp][] = [
    ['plain text', 'hello', /not valid JSON/],
    ['truncated object', '{"capturedAt": "2023-10-11T23:00:00+09:00", "tracks": {', /not valid JSON/],
    ['missing value', '{"capturedAt": }', /not valid JSON/],
    ['trailing comma', '{"capturedAt":"2023-10-11T23:00:00+09:00","tracks":{},}', /not valid JSON/],
    ['NaN literal', '{"capturedAt":"2023-10-11T23:00:00+09:00","tracks":{"blue":NaN}}', /not valid JSON/],
    ['single quotes', "{'capturedAt':'2023-10-11T23:00:00+09:00'}", /not valid JSON/],
    [
      'JSON Lines',
      `${JSON.stringify(validSnapshot())}\n${JSON.stringify(validSnapshot(12))}`,
      /not valid JSON/,
    ],
    ['form encoding', 'capturedAt=2023-10-11&tracks=1', /not valid JSON/],
    ['empty body', '', /body is empty/],
    ['whitespace only', '   \n ', /body is empty/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not UTF-8/],
    ['lone surrogate bytes', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), /not UTF-8/],
    [
      '__proto__ key',
      '{"__proto__":{"polluted":true},"capturedAt":"2023-10-11T23:00:00+09:00","tracks":{}}',
      /__proto__/,
    ],
    ['XML', '<snapshot capturedAt="2023-10-11"/>', /not valid JSON/],
  ];
  for (const [name, body, expect] of notJson) cases.push({ name, body, auth: 'valid', status: 400, expect });
  const roots: [string, string, RegExp][] = [
    ['a number', '42', /^\(root\): .*expected object/],
    ['a string', '"snapshot"', /^\(root\): .*expected object/],
    ['null', 'null', /^\(root\): .*expected object/],
    ['true', 'true', /^\(root\): .*expected object/],
    ['an empty object', '{}', /^capturedAt: /],
    ['an empty array', '[]', /empty array/],
    ['an array of numbers', '[1,2]', /^\[0\]: .*expected object/],
    ['an array holding null', `[${JSON.stringify(validSnapshot())},null]`, /^\[1\]: .*expected object/],
  ];
  for (const [name, body, expect] of roots)
    cases.push({ name: `root is ${name}`, body, auth: 'valid', status: 400, expect });

  const oneMiB = 1024 * 1024;
  cases.push({
    name: 'body one byte past 1 MiB',
    body: JSON.stringify(validSnapshot()) + ' '.repeat(oneMiB + 1 - JSON.stringify(validSnapshot()).length),
    auth: 'valid',
    status: 413,
    expect: /larger than 1048576 bytes/,
  });
  const bigTracks = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`untracked-${i}`, i]));
  cases.push({
    name: 'a snapshot with a 1.5 MiB tracks object',
    body: JSON.stringify({ ...validSnapshot(), tracks: bigTracks }),
    auth: 'valid',
    status: 413,
    expect: /larger than 1048576 bytes/,
  });
  cases.push({
    name: '1001 snapshots',
    body: JSON.stringify(
      Array.from({ length: 1001 }, () => ({ capturedAt: '2023-10-11T23:00:00+09:00', tracks: {} })),
    ),
    auth: 'valid',
    status: 413,
    expect: /at most 1000 snapshots per request; this body has 1001/,
  });
  cases.push({
    name: '5000 tiny snapshots',
    body: JSON.stringify(Array.from({ length: 5000 }, () => 0)),
    auth: 'valid',
    status: 413,
    expect: /at most 1000 snapshots/,
  });

  const good = JSON.stringify(validSnapshot());
  const tokens: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['empty Authorization header', ''],
    ['Bearer with no token', 'Bearer '],
    ['Basic scheme', `Basic ${Buffer.from(`user:${VALID_TOKEN}`).toString('base64')}`],
    ['token without scheme', VALID_TOKEN],
    ['token with a suffix', `Bearer ${VALID_TOKEN}x`],
    ['token missing its last character', `Bearer ${VALID_TOKEN.slice(0, -1)}`],
    ['token in upper case', `Bearer ${VALID_TOKEN.toUpperCase()}`],
    ['two tokens', `Bearer ${VALID_TOKEN} ${VALID_TOKEN}`],
    ['token in quotes', `Bearer "${VALID_TOKEN}"`],
  ];
  for (let i = 0; i < 15; i += 1) {
    const length = i < 5 ? VALID_TOKEN.length : 1 + Math.floor(random() * 80);
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
    const token = Array.from({ length }, () => chars[Math.floor(random() * chars.length)]).join('');
    tokens.push([`random token of ${length} characters`, `Bearer ${token}`]);
  }
  for (const [name, auth] of tokens) {
    cases.push({
      name: `bad token: ${name}`,
      body: good,
      auth,
      status: 401,
      expect: /^Bearer +\S+ *$/.test(auth ?? '')
        ? /^invalid bearer token$/
        : /^missing or malformed bearer token/,
    });
    // A bad token is refused before the body is even looked at, whatever the body.
    cases.push({
      name: `bad token with an oversize body: ${name}`,
      body: ' '.repeat(oneMiB + 10),
      auth,
      status: 401,
      expect: /bearer token/,
    });
  }
  return cases;
}
