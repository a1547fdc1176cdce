const quoted = new Map<string, string>();

/**
 * `JSON.stringify(key)`, remembered: the JSON written for every snapshot (subject states, history points) quotes
 * the same few hundred subject keys each time. Keys come from the tracking configs, so the memo stays small.
 */
export function jsonKey(key: string): string {
  let text = quoted.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    quoted.set(key, text);
  }
  return text;
}
