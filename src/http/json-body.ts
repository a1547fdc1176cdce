export type JsonBodyResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** How deeply arrays and objects may nest; a snapshot batch needs 3 (array, snapshot, tracks). */
export const DEFAULT_MAX_JSON_DEPTH = 16;

/** The deepest nesting of arrays and objects in a JSON text, counting brackets outside strings; stops past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return deepest;
}

/**
 * Parses a request body as JSON with every failure told plainly: empty, not UTF-8, nested too deeply (checked
 * before parsing), not JSON, or carrying a `__proto__` key.
 */
export function parseJsonBody(
  body: Uint8Array | undefined,
  maxDepth = DEFAULT_MAX_JSON_DEPTH,
): JsonBodyResult {
  if (body === undefined || body.byteLength === 0) {
    return { ok: false, message: 'body is empty: send one snapshot or an array of snapshots as JSON' };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, message: 'body is not UTF-8 text' };
  }
  if (text.trim() === '') {
    return { ok: false, message: 'body is empty: send one snapshot or an array of snapshots as JSON' };
  }
  if (jsonDepth(text, maxDepth) > maxDepth) {
    return { ok: false, message: `body nests arrays or objects deeper than ${maxDepth} levels` };
  }
  try {
    const value: unknown = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not allowed');
      return v;
    });
    return { ok: true, value };
  } catch (error) {
    return { ok: false, message: `body is not valid JSON (${(error as Error).message})` };
  }
}
