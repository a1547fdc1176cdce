import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import { secretSettings, type LogFormat } from './env.js';

export type { Logger, LogFormat };

/**
 * Field names that hold secrets wherever they appear, beside the secret settings themselves (`secretSettings` in
 * env.ts, where each setting is declared).
 */
const secretFields = [
  'token',
  'accessToken',
  'password',
  'secret',
  'authorization',
  'cookie',
  'clientSecret',
  'apiKey',
  'redisUrl',
];
const secretNames = [...secretSettings, ...secretFields];

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object: each secret name at the top level,
 * one and two levels down (`settings.DISCORD_TOKEN`, `req.headers.authorization`), and request headers.
 * pino has no recursive wildcard, so deeper objects must not be logged whole.
 */
export const redactPaths = [
  ...secretNames.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
  'headers["x-signature-ed25519"]',
  '*.headers["x-signature-ed25519"]',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'headers["x-goog-api-key"]',
  '*.headers["x-goog-api-key"]',
];

/**
 * The process logger. Logs go to standard error (file descriptor 2) by default so that standard output stays
 * clean for machine-readable output (`replay --json`); tests may pass a stream. With `format` `auto` (the default)
 * they are human-readable lines (pino-pretty, colored) when the destination is a terminal, and one JSON object a
 * line otherwise (files, pipes, log collectors). Secrets are redacted either way.
 */
export function createLogger(
  level: string,
  destination: number | DestinationStream = 2,
  format: LogFormat = 'auto',
): Logger {
  const terminal = typeof destination === 'number' && isatty(destination);
  const pretty = format === 'pretty' || (format === 'auto' && terminal);
  const stream: DestinationStream = pretty
    ? PinoPretty({
        destination,
        sync: true,
        colorize: terminal,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      })
    : typeof destination === 'number'
      ? pino.destination({ dest: destination, sync: true })
      : destination;
  return pino({ level, base: null, redact: { paths: redactPaths, censor: '[redacted]' } }, stream);
}
