import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from './redis.js';

/** A Lua script bound to one client: keys first, then arguments (or the key count first, for a variable one). */
export type LuaScript = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

const sources = new Map<string, string>();

/**
 * The one loader for this project's Lua scripts, each kept in its own `.lua` file next to the code that runs it.
 * Defines the script on the client once (ioredis then runs it with EVALSHA, falling back to EVAL), named after its
 * file, e.g. `lua/commit-snapshot.lua` becomes `layover:commit-snapshot`.
 *
 * @param numberOfKeys fixed number of KEYS; omit it for scripts whose callers pass the key count first.
 */
export function luaScript(redis: RedisClient, file: URL, numberOfKeys?: number): LuaScript {
  const path = fileURLToPath(file);
  const name = `layover:${basename(path, '.lua')}`;
  if (!(name in redis)) {
    let lua = sources.get(path);
    if (lua === undefined) {
      lua = readFileSync(path, 'utf8');
      sources.set(path, lua);
    }
    redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { numberOfKeys, lua });
  }
  const command = (redis as unknown as Record<string, LuaScript | undefined>)[name];
  if (command === undefined) throw new Error(`could not define the Lua script ${name}`);
  return command.bind(redis);
}
