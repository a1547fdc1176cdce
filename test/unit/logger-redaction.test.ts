import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('log redaction', () => {
  it('never writes tokens, secrets, passwords or authorization headers, wherever they sit in a log object', () => {
    const secrets = [
      'discord-SECRET-1',
      'x-SECRET-2',
      'ingest-SECRET-3',
      'bearer-SECRET-4',
      'admin-SECRET-5',
    ];
    const { stream, text } = capture();
    const logger = createLogger('info', stream);
    logger.info({ DISCORD_TOKEN: secrets[0], X_ACCESS_SECRET: secrets[1] }, 'top level');
    logger.info(
      { settings: { INGEST_TOKEN: secrets[2], ADMIN_TOKEN: secrets[4], HTTP_PORT: 3000 } },
      'nested',
    );
    logger.info({ req: { headers: { authorization: `Bearer ${secrets[3]}`, host: 'x' } } }, 'request');
    logger.info({ client: { options: { token: secrets[0], password: secrets[1] } } }, 'two levels down');
    logger.info({ redis: { REDIS_URL: `redis://:${secrets[2]}@h:6379` } }, 'url');
    const out = text();
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out.match(/\[redacted\]/g)?.length).toBe(8);
    // What is not secret still shows.
    expect(out).toContain('"HTTP_PORT":3000');
    expect(out).toContain('"host":"x"');
  });

  it('never writes the YouTube API key, as a setting, an option or a request header', () => {
    const key = 'AIza-youtube-SECRET-6';
    const { stream, text } = capture();
    const logger = createLogger('info', stream);
    logger.info({ YOUTUBE_API_KEY: key }, 'setting');
    logger.info({ api: { apiKey: key, apiUrl: 'https://www.googleapis.com/youtube/v3' } }, 'options');
    logger.info({ request: { headers: { 'x-goog-api-key': key, accept: 'application/json' } } }, 'request');
    const out = text();
    expect(out).not.toContain(key);
    expect(out.match(/\[redacted\]/g)?.length).toBe(3);
    expect(out).toContain('"apiUrl":"https://www.googleapis.com/youtube/v3"');
  });
});
