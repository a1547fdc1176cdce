/**
 * Number wording for posts. All arithmetic is on integers (BigInt), so no float noise can leak into a post:
 * 1_550_000_000 is "1.55 billion", never "1.5500000000000003 billion".
 *
 * Counts are integers from 0 to 2^53−1 (the snapshot format); anything else is a programming error and throws.
 */

import type { Language } from './types.js';

interface Scale {
  readonly size: bigint;
  readonly word: string;
  readonly letter: string;
}

/** Largest first. */
const englishScales: readonly Scale[] = [
  { size: 1_000_000_000_000n, word: 'trillion', letter: 'T' },
  { size: 1_000_000_000n, word: 'billion', letter: 'B' },
  { size: 1_000_000n, word: 'million', letter: 'M' },
  { size: 1_000n, word: 'thousand', letter: 'K' },
];

/** Korean myriad units, largest first: 조 (10^12), 억 (10^8), 만 (10^4). */
const koreanUnits: readonly { readonly size: bigint; readonly unit: string }[] = [
  { size: 1_000_000_000_000n, unit: '조' },
  { size: 100_000_000n, unit: '억' },
  { size: 10_000n, unit: '만' },
];

function toBigInt(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`expected a count from 0 to 2^53-1, got ${n}`);
  }
  return BigInt(n);
}

/** "4743367" -> "4,743,367". */
export function groupDigits(n: number | bigint): string {
  const digits = (typeof n === 'bigint' ? n : toBigInt(n)).toString();
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `n / size` as a decimal string: exact when that needs at most `exactDecimals` digits after the point,
 * otherwise rounded down to `floorDecimals` (a post never overstates a count). Trailing zeros are dropped.
 */
function scaled(n: bigint, size: bigint, exactDecimals: number, floorDecimals: number): string {
  const whole = n / size;
  const rest = n % size;
  if (rest === 0n) return whole.toString();
  let decimals = floorDecimals;
  if (exactDecimals > 0 && (rest * 10n ** BigInt(exactDecimals)) % size === 0n) decimals = exactDecimals;
  const fraction = (rest * 10n ** BigInt(decimals)) / size;
  const digits = fraction.toString().padStart(decimals, '0').replace(/0+$/, '');
  return digits === '' ? whole.toString() : `${whole}.${digits}`;
}

function englishScale(n: bigint, min: bigint): Scale | undefined {
  return englishScales.find((scale) => scale.size >= min && n >= scale.size);
}

/**
 * English words for a count: "500 million", "1.5 billion", "15.72 million"; below a million the digits are
 * grouped ("950,000"). Exact up to three decimals ("1.505 billion"), else rounded down to two.
 */
export function englishWords(n: number): string {
  const value = toBigInt(n);
  const scale = englishScale(value, 1_000_000n);
  if (scale === undefined) return groupDigits(value);
  return `${scaled(value, scale.size, 3, 2)} ${scale.word}`;
}

/** English compact form: "500M", "1.5B", "80M", "15.72M", "950K", "999". Same precision rule as {@link englishWords}. */
export function englishCompact(n: number): string {
  const value = toBigInt(n);
  const scale = englishScale(value, 1_000n);
  if (scale === undefined) return value.toString();
  return `${scaled(value, scale.size, 3, 2)}${scale.letter}`;
}

/**
 * Korean myriad wording: 5억, 15억, 15억 5,000만, 1,572만, 474만 3,367. Each part keeps its digit grouping.
 * With `floorTo: '만'` anything below 만 is dropped once the count reaches 만 (474만 3,367 -> 474만).
 */
export function koreanWords(n: number, options: { readonly floorTo?: '만' } = {}): string {
  let rest = toBigInt(n);
  if (rest === 0n) return '0';
  const parts: string[] = [];
  for (const { size, unit } of koreanUnits) {
    const count = rest / size;
    rest %= size;
    if (count > 0n) parts.push(`${groupDigits(count)}${unit}`);
  }
  if (rest > 0n && (parts.length === 0 || options.floorTo === undefined)) parts.push(groupDigits(rest));
  return parts.join(' ');
}

/** Words for a count in `language`: English words (exact or two decimals) or Korean units (exact). */
export function countWords(n: number, language: Language): string {
  return language === 'ko' ? koreanWords(n) : englishWords(n);
}

/** The short form in `language`: "15.72M" or "1,572만" (Korean rounded down to 만). */
export function countCompact(n: number, language: Language): string {
  return language === 'ko' ? koreanWords(n, { floorTo: '만' }) : englishCompact(n);
}
