import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/env.js';
import { createLogger, type LogFormat } from '../../src/logger.js';
import { idleRoleReason } from '../../src/roles.js';

function capture(format: LogFormat): { text: () => string; write: (line: string) => void } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger('info', stream, format);
  return {
    text: () => text,
    write: (line) => logger.info({ jobId: '42', token: 'very-secret-token' }, line),
  };
}

describe('log format', () => {
  it('is one JSON object a line when the destination is not a terminal (auto)', () => {
    const out = capture('auto');
    out.write('ready: waiting for snapshots');
    const parsed = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(parsed).toMatchObject({ msg: 'ready: waiting for snapshots', jobId: '42', token: '[redacted]' });
  });

  it('is a human-readable line when pretty, secrets still redacted', () => {
    const out = capture('pretty');
    out.write('ready: waiting for snapshots');
    const text = out.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text).toMatch(/INFO.*ready: waiting for snapshots/);
    expect(text).toContain('jobId: "42"');
    expect(text).not.toContain('very-secret-token');
  });

  it('LOG_FORMAT takes auto, json or pretty', () => {
    expect(loadSettings({}).LOG_FORMAT).toBe('auto');
    expect(loadSettings({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(() => loadSettings({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});

describe('start-up lines for roles with nothing to run', () => {
  it('name the missing setting', () => {
    const settings = loadSettings({});
    expect(idleRoleReason('bot', settings)).toMatch(/^DISCORD_TOKEN is not set/);
    expect(idleRoleReason('poller', settings)).toMatch(/^SOURCES_CONFIG is not set/);
  });
});
