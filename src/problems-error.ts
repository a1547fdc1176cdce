/**
 * An error that lists every problem found, one per line under a heading (`invalid settings:`, `invalid tracking
 * config:` …), so that whoever fixes a file or a setting sees everything at once instead of one problem per try.
 * `problems` keeps the lines for callers that report them their own way (HTTP bodies, tests).
 */
export class ProblemsError extends Error {
  constructor(
    heading: string,
    readonly problems: readonly string[],
    bullet = '',
  ) {
    super(`${heading}:\n${problems.map((p) => `  ${bullet}${p}`).join('\n')}`);
    this.name = new.target.name;
  }
}
