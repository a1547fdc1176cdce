import { describe, expect, it } from 'vitest';
import {
  discordLength,
  fitEmbeds,
  fitLines,
  fitMessage,
  pageLines,
} from '../../src/platforms/discord/message-limits.js';

describe('Discord message limits', () => {
  it('caps content at 2,000 and each embed text at its own limit, counting code points', () => {
    const fitted = fitMessage({
      content: '💜'.repeat(2500),
      embeds: [
        {
          title: 't'.repeat(300),
          description: 'd'.repeat(5000),
          fields: [{ name: 'n', value: 'v'.repeat(2000) }],
          footer: { text: 'f'.repeat(3000) },
        },
      ],
    });
    expect(discordLength(fitted.content)).toBe(2000);
    expect(fitted.content.endsWith('…')).toBe(true);
    const [embed] = fitted.embeds;
    expect(discordLength(embed!.title)).toBe(256);
    expect(discordLength(embed!.fields[0]!.value)).toBe(1024);
    expect(discordLength(embed!.footer.text)).toBe(2048);
  });

  it('keeps all embeds of a message within 6,000 characters together', () => {
    const embeds = fitEmbeds([
      { title: 'a', description: 'x'.repeat(4000) },
      { title: 'b', description: 'y'.repeat(4000) },
    ]);
    const total = embeds.reduce(
      (sum, e) => sum + discordLength(e.title ?? '') + discordLength(e.description ?? ''),
      0,
    );
    expect(total).toBeLessThanOrEqual(6000);
    expect(embeds.every((e) => discordLength(e.description ?? '') > 0)).toBe(true);
  });

  it('ends a list that does not fit with "+N more", counting what was left out', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `• line ${i} ${'x'.repeat(60)}`);
    const text = fitLines(lines, 2000);
    expect(discordLength(text)).toBeLessThanOrEqual(2000);
    const shown = text.split('\n');
    const more = Number(/^\+(\d+) more$/.exec(shown.at(-1)!)?.[1]);
    expect(shown.length - 1 + more).toBe(50);
    expect(fitLines(['a', 'b'], 2000)).toBe('a\nb');
  });

  it('splits lines into pages that each fit', () => {
    const lines = Array.from({ length: 35 }, (_, i) => `**Song ${i}**: ${'z'.repeat(150)}`);
    const pages = pageLines(lines, 3500);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(lines);
    for (const page of pages) expect(discordLength(page.join('\n'))).toBeLessThanOrEqual(3500);
  });
});
