import { describe, expect, it } from 'vitest';
import { fitAltText, X_ALT_TEXT_MAX } from '../../src/platforms/x/x-card-media.js';

describe('alt text for X media', () => {
  it('keeps alt text within X’s 1000 characters unchanged', () => {
    const text = 'Layover has passed 500 million streams on Spotify. '.repeat(19);
    expect([...text].length).toBeLessThanOrEqual(X_ALT_TEXT_MAX);
    expect(fitAltText(text)).toBe(text);
  });

  it('cuts longer alt text at a word, with an ellipsis, counting code points', () => {
    const text = '레이오버 스트리밍 5억 회 돌파 🎉 '.repeat(80);
    const fitted = fitAltText(text);
    expect([...fitted].length).toBeLessThanOrEqual(X_ALT_TEXT_MAX);
    expect(fitted.endsWith('…')).toBe(true);
    const kept = fitted.slice(0, -1);
    expect(text.startsWith(kept)).toBe(true);
    // The cut falls between words: what follows the kept text in the original starts with a space.
    expect(text.slice(kept.length).startsWith(' ')).toBe(true);
  });
});
