import twitterText from 'twitter-text';

/** U+2024 ONE DOT LEADER: looks like a full stop, but X never reads it as part of a link. */
const DOT_LEADER = '\u2024';

/**
 * `text` with every run X would read as a link ("Love.me", "7.zip", "layover.kr/news") defused: the dots inside
 * each link twitter-text finds become one-dot leaders. A title then weighs what it shows (a link weighs 23 and
 * makes the post cost the link price) and never turns into a link. Text without links is returned as is.
 */
export function withoutXLinks(text: string): string {
  const entities = twitterText.extractUrlsWithIndices(text);
  if (entities.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { indices } of entities) {
    const [start, end] = indices;
    out += text.slice(at, start) + text.slice(start, end).replace(/\./g, DOT_LEADER);
    at = end;
  }
  out += text.slice(at);
  // What is left may still read as a link (a shorter domain inside a longer one): defuse until nothing does.
  return out === text ? out : withoutXLinks(out);
}
