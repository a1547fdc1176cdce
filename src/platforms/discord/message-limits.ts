import type { APIEmbed } from 'discord-api-types/v10';

/** Discord's documented message limits, in characters (Unicode code points). */
export const discordLimits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  fields: 25,
  embeds: 10,
  /** Title, description, field names and values, footer and author name of all embeds of one message. */
  embedTotal: 6000,
} as const;

/** Length as Discord counts it (code points, so an emoji is not two). */
export function discordLength(text: string): number {
  return [...text].length;
}

/** `text` cut to `max` characters, ending in `…` when cut. */
export function fitText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function embedTotal(embed: APIEmbed): number {
  return (
    discordLength(embed.title ?? '') +
    discordLength(embed.description ?? '') +
    discordLength(embed.footer?.text ?? '') +
    discordLength(embed.author?.name ?? '') +
    (embed.fields ?? []).reduce((sum, f) => sum + discordLength(f.name) + discordLength(f.value), 0)
  );
}

/** One embed within its field limits (title, description, fields and their count, footer, author). */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  return {
    ...embed,
    ...(embed.title === undefined ? {} : { title: fitText(embed.title, discordLimits.embedTitle) }),
    ...(embed.description === undefined
      ? {}
      : { description: fitText(embed.description, discordLimits.embedDescription) }),
    ...(embed.fields === undefined
      ? {}
      : {
          fields: embed.fields.slice(0, discordLimits.fields).map((f) => ({
            ...f,
            name: fitText(f.name, discordLimits.fieldName),
            value: fitText(f.value, discordLimits.fieldValue),
          })),
        }),
    ...(embed.footer === undefined
      ? {}
      : { footer: { ...embed.footer, text: fitText(embed.footer.text, discordLimits.footer) } }),
    ...(embed.author === undefined
      ? {}
      : { author: { ...embed.author, name: fitText(embed.author.name, discordLimits.authorName) } }),
  };
}

/**
 * Embeds within every limit: each embed's fields, at most 10, and 6,000 characters in all (the longest
 * descriptions are shortened first). Callers that can page should page before this: it only cuts.
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, discordLimits.embeds).map(fitEmbed);
  let excess = fitted.reduce((sum, e) => sum + embedTotal(e), 0) - discordLimits.embedTotal;
  while (excess > 0) {
    const longest = fitted
      .map((e, i) => ({ i, length: discordLength(e.description ?? '') }))
      .reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length === 0) break;
    const embed = fitted[longest.i] as APIEmbed;
    const keep = Math.max(0, longest.length - excess);
    fitted[longest.i] = { ...embed, description: fitText(embed.description ?? '', Math.max(1, keep)) };
    excess = fitted.reduce((sum, e) => sum + embedTotal(e), 0) - discordLimits.embedTotal;
  }
  return fitted;
}

/** A message body's content and embeds within Discord's limits; everything else as it is. */
export function fitMessage<T extends { content?: string | undefined; embeds?: APIEmbed[] | undefined }>(
  body: T,
): T {
  return {
    ...body,
    ...(body.content === undefined ? {} : { content: fitText(body.content, discordLimits.content) }),
    ...(body.embeds === undefined ? {} : { embeds: fitEmbeds(body.embeds) }),
  };
}

/**
 * As many of `lines` as fit in `max` characters joined by newlines, then `+N more` for the rest (the marker's
 * room is kept). `more` words the marker (e.g. for Korean).
 */
export function fitLines(
  lines: readonly string[],
  max: number,
  more: (n: number) => string = (n) => `+${n} more`,
): string {
  const all = lines.join('\n');
  if (discordLength(all) <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const marker = more(lines.length - i - 1);
    const next = used + (kept.length === 0 ? 0 : 1) + discordLength(line);
    // Keep room for the marker naming the lines after this one.
    if (next + 1 + discordLength(marker) > max && i < lines.length - 1) break;
    if (next > max) break;
    kept.push(line);
    used = next;
  }
  const rest = lines.length - kept.length;
  return rest === 0 ? kept.join('\n') : [...kept, more(rest)].join('\n');
}

/**
 * Splits `lines` into pages of at most `max` characters each (newline-joined); a single longer line is cut.
 */
export function pageLines(lines: readonly string[], max: number): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let used = 0;
  for (const raw of lines) {
    const line = fitText(raw, max);
    const next = used + (page.length === 0 ? 0 : 1) + discordLength(line);
    if (next > max && page.length > 0) {
      pages.push(page);
      page = [line];
      used = discordLength(line);
    } else {
      page.push(line);
      used = next;
    }
  }
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}
