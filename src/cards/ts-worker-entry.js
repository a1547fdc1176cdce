// The entry of a worker thread started from the TypeScript sources (npm scripts, `npx layover-bot`, tests): it
// registers tsx's loader in this thread, as bin/layover-bot.js does in the main one, then imports the TypeScript
// module named in `workerData.entry`. Plain JavaScript (it must load before any loader is registered). Built
// JavaScript starts its worker module directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const entry = /** @type {{ entry?: unknown } | null} */ (workerData)?.entry;
if (typeof entry !== 'string') throw new Error('ts-worker-entry.js: workerData.entry must name a module URL');
register();
await import(entry);
