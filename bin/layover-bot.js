#!/usr/bin/env node
// `npx layover-bot <command>`: the same commands as the npm scripts, without npm's banner on standard output
// (logs go to standard error), so that `npx layover-bot replay … --json | jq` works.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
