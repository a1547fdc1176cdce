import { describe, expect, it } from 'vitest';
import { dateLabel, dayPhrase, recordDaysLabel, zoneLabel } from '../../src/posts/dates.js';
import {
  countCompact,
  countWords,
  englishCompact,
  englishWords,
  groupDigits,
  koreanWords,
} from '../../src/posts/numbers.js';

describe('English number wording', () => {
  it.each([
    [500_000_000, '500 million', '500M'],
    [1_500_000_000, '1.5 billion', '1.5B'],
    [80_000_000, '80 million', '80M'],
    [15_720_000, '15.72 million', '15.72M'],
    [1_550_000_000, '1.55 billion', '1.55B'],
    [1_000_000, '1 million', '1M'],
    [999_999_999, '999.99 million', '999.99M'],
    [950_000, '950,000', '950K'],
    [1_500, '1,500', '1.5K'],
    [999, '999', '999'],
    [0, '0', '0'],
    [2_000_000_000_000, '2 trillion', '2T'],
  ])('%d is "%s" and "%s"', (n, words, compact) => {
    expect(englishWords(n)).toBe(words);
    expect(englishCompact(n)).toBe(compact);
  });

  it('stays exact with three decimals when that is what the number needs', () => {
    expect(englishWords(1_505_000_000)).toBe('1.505 billion');
    expect(englishCompact(4_743_000)).toBe('4.743M');
  });

  it('rounds down, never up, when a count needs more than three decimals', () => {
    expect(englishCompact(15_729_999)).toBe('15.72M');
    expect(englishWords(503_012_345)).toBe('503.01 million');
    expect(englishCompact(4_743_367)).toBe('4.74M');
  });

  it('never shows float noise: 5,000 counts up to 100 billion read back to themselves, rounded down', () => {
    const units: Record<string, bigint> = { K: 1_000n, M: 1_000_000n, B: 1_000_000_000n };
    for (let k = 1; k <= 5_000; k++) {
      const n = k * k * 4_000 + k * 10_007;
      const compact = englishCompact(n);
      const match = /^(\d+)(?:\.(\d{1,3}))?([KMB])$/.exec(compact);
      expect(match, `${n} -> ${compact}`).not.toBeNull();
      const [, whole = '', fraction = '', letter = ''] = match ?? [];
      const unit = units[letter] ?? 0n;
      const readBack =
        BigInt(whole) * unit + (BigInt(fraction || '0') * unit) / 10n ** BigInt(fraction.length);
      // Rounding down loses at most the part below two decimals of the unit.
      expect(BigInt(n) - readBack >= 0n && BigInt(n) - readBack < unit / 100n, `${n} -> ${compact}`).toBe(
        true,
      );
    }
  });

  it('refuses what is not a count', () => {
    expect(() => englishWords(0.1 + 0.2)).toThrow(RangeError);
    expect(() => englishCompact(-1)).toThrow(RangeError);
    expect(() => koreanWords(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
  });

  it('groups digits with commas', () => {
    expect(groupDigits(503_012_345)).toBe('503,012,345');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991');
  });
});

describe('Korean number wording', () => {
  it.each([
    [500_000_000, '5억'],
    [1_500_000_000, '15억'],
    [15_720_000, '1,572만'],
    [1_550_000_000, '15억 5,000만'],
    [50_000_000, '5,000만'],
    [10_000, '1만'],
    [9_999, '9,999'],
    [100_000_001, '1억 1'],
    [4_743_367, '474만 3,367'],
    [1_000_000_000_000, '1조'],
    [0, '0'],
  ])('%d is %s', (n, words) => {
    expect(koreanWords(n)).toBe(words);
  });

  it('drops what is below 만 when asked to, once the count reaches 만', () => {
    expect(koreanWords(4_743_367, { floorTo: '만' })).toBe('474만');
    expect(koreanWords(503_012_345, { floorTo: '만' })).toBe('5억 301만');
    expect(koreanWords(9_999, { floorTo: '만' })).toBe('9,999');
  });

  it('picks the wording by language', () => {
    expect(countWords(1_500_000_000, 'ko')).toBe('15억');
    expect(countWords(1_500_000_000, 'en')).toBe('1.5 billion');
    expect(countCompact(15_720_000, 'ko')).toBe('1,572만');
    expect(countCompact(15_720_000, 'en')).toBe('15.72M');
  });
});

describe('day and date wording', () => {
  it('words release days: none, release day, one day, many days', () => {
    const release = { style: 'release' } as const;
    expect(dayPhrase(null, release, 'en')).toBe('');
    expect(dayPhrase(0, release, 'en')).toBe('on release day');
    expect(dayPhrase(1, release, 'en')).toBe('in just 1 day');
    expect(dayPhrase(33, release, 'en')).toBe('in just 33 days');
    expect(dayPhrase(-2, release, 'en')).toBe('');
    expect(dayPhrase(0, release, 'ko')).toBe('발매 당일');
    expect(dayPhrase(33, release, 'ko')).toBe('발매 33일 만에');
  });

  it('counts a pre-released track from its own release and says so', () => {
    const pre = { style: 'preRelease' } as const;
    expect(dayPhrase(61, pre, 'en')).toBe('in just 61 days since its pre-release');
    expect(dayPhrase(0, pre, 'en')).toBe('on its pre-release day');
    expect(dayPhrase(61, pre, 'ko')).toBe('선공개 61일 만에');
  });

  it('words artist and follower days after the latest album', () => {
    const after = { style: 'afterAlbum', album: 'Layover' } as const;
    expect(dayPhrase(43, after, 'en')).toBe('43 days after the release of Layover');
    expect(dayPhrase(1, after, 'en')).toBe('1 day after the release of Layover');
    expect(dayPhrase(0, after, 'en')).toBe('on the release day of Layover');
    expect(dayPhrase(43, after, 'ko')).toBe('Layover 발매 43일 만에');
  });

  it('labels the previous record', () => {
    expect(recordDaysLabel(58, 'en')).toBe('58-day');
    expect(recordDaysLabel(58, 'ko')).toBe('58일');
  });

  it('takes the date in the tracking time zone, not the offset it was written with', () => {
    expect(dateLabel('2023-10-11T16:00:00Z', 'Asia/Seoul', 'en')).toBe('Oct 12, 2023');
    expect(dateLabel('2023-10-11T16:00:00Z', 'America/New_York', 'en')).toBe('Oct 11, 2023');
    expect(dateLabel('2023-10-11T23:00:00+09:00', 'Asia/Seoul', 'ko')).toBe('2023년 10월 11일');
  });

  it('labels zones by abbreviation, else by IANA name', () => {
    expect(zoneLabel('2023-10-11T23:00:00+09:00', 'Asia/Seoul')).toBe('KST');
    expect(zoneLabel('2023-07-01T12:00:00Z', 'America/New_York')).toBe('EDT');
    expect(zoneLabel('2023-01-01T12:00:00Z', 'America/New_York')).toBe('EST');
    expect(zoneLabel('2023-01-01T12:00:00Z', 'UTC')).toBe('UTC');
    expect(zoneLabel('2023-01-01T12:00:00Z', 'Europe/Berlin')).toBe('Europe/Berlin');
  });
});
