import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino replaces with "[redacted]" wherever they appear in a log object. */
export const redactPaths = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'DISCORD_TOKEN',
  'X_APP_SECRET',
  'X_ACCESS_SECRET',
  'X_ACCESS_TOKEN',
  'INGEST_TOKEN',
  '*.DISCORD_TOKEN',
  '*.X_APP_SECRET',
  '*.X_ACCESS_SECRET',
  '*.X_ACCESS_TOKEN',
  '*.INGEST_TOKEN',
];

/**
 * The process logger. Logs go to standard error (file descriptor 2) by default so that standard output stays
 * clean for machine-readable output (`replay --json`).
 */
export function createLogger(level: string, fd = 2): Logger {
  return pino(
    { level, base: null, redact: { paths: redactPaths, censor: '[redacted]' } },
    pino.destination({ dest: fd, sync: true }),
  );
}
