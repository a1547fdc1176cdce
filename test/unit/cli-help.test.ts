import { describe, expect, it } from 'vitest';
import { commandUsage, helpFor, isCommand, usage } from '../../src/cli/help.js';
import { savedKinds } from '../../src/sources/parse-saved.js';
import { snapshotFileFormats } from '../../src/sources/snapshot-file.js';

describe('CLI help', () => {
  it('lists every command when asked with no command, help, --help or -h', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) expect(helpFor(argv)).toBe(usage);
    for (const name of [
      'start',
      'demo',
      'replay',
      'ingest',
      'failed',
      'milestones',
      'state',
      'preview',
      'sources',
      'commands:deploy',
    ]) {
      expect(isCommand(name), name).toBe(true);
      expect(usage).toContain(`\n  ${name}`);
    }
  });

  it("gives one command's usage for <command> --help, -h or help <command>, and nothing else runs", () => {
    expect(helpFor(['start', '--help'])).toBe(commandUsage('start'));
    expect(helpFor(['replay', '--config', 'x.json', '-h'])).toBe(commandUsage('replay'));
    expect(helpFor(['help', 'ingest'])).toBe(commandUsage('ingest'));
    expect(helpFor(['deploy-commands', '--help'])).toBe(commandUsage('commands:deploy'));
    expect(commandUsage('replay')).toMatch(
      /^usage: layover-bot replay --config <file> --snapshots <file\.jsonl> \[--json\]\n {2}dry-run/,
    );
  });

  it('asks for no help otherwise, also when --help comes after -- (an argument, not an option)', () => {
    expect(helpFor(['start'])).toBeNull();
    expect(helpFor(['replay', '--config', 'a.json', '--snapshots', 'b.jsonl'])).toBeNull();
    expect(helpFor(['ingest', '--', '--help'])).toBeNull();
  });

  it('an unknown command with --help gets the list of commands', () => {
    expect(isCommand('post')).toBe(false);
    expect(helpFor(['post', '--help'])).toBe(usage);
  });

  it('names every file format ingest reads and every kind sources parse takes', () => {
    for (const format of snapshotFileFormats) expect(commandUsage('ingest')).toContain(`file${format}`);
    expect(commandUsage('sources')).toContain(`--kind ${savedKinds.join('|')}`);
  });

  it('keeps every line within 100 characters', () => {
    for (const line of usage.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
