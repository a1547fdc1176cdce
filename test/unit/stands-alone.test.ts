import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Names of documents that live outside this repository; spelled in parts so that this file does not match. */
const outside = [['CON', 'TRACT §'].join(''), ['STYLE', '.md'].join(''), ['..', '/shared'].join('')];

describe('the repository stands alone', () => {
  it('no tracked file cites a document outside the repository', () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' })
      .split('\n')
      .filter(
        (f) =>
          f !== '' && !f.startsWith('node_modules/') && /\.(ts|js|md|json|ya?ml|example|sh)$|^\.ci\//.test(f),
      );
    const hits = files.flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      return outside.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`);
    });
    expect(hits).toEqual([]);
  });
});
