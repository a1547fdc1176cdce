import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../commands/index.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';

const run = promisify(execFile);

describe('npm run commands:deploy', () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
  });
  afterAll(() => emulator.close());

  const deploy = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'commands:deploy', ...args], {
      env: {
        ...process.env,
        DISCORD_TOKEN: emulator.token,
        DISCORD_APPLICATION_ID: '400000000000000001',
        DISCORD_API_URL: emulator.api,
        LOG_LEVEL: 'silent',
      },
    });

  it('registers every definition globally, or in one server with --guild', async () => {
    const global = await deploy([]);
    expect(global.stdout).toContain('registered 2 commands globally');
    expect(emulator.commands.get('global')).toEqual(JSON.parse(JSON.stringify(commandDefinitions)));
    const guild = await deploy(['--guild', '200000000000000009']);
    expect(guild.stdout).toContain('in server 200000000000000009');
    expect(emulator.commands.get('200000000000000009')).toEqual(emulator.commands.get('global'));
    const puts = emulator.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([
      '/applications/400000000000000001/commands',
      '/applications/400000000000000001/guilds/200000000000000009/commands',
    ]);
    expect(puts.every((r) => r.authorization === `Bot ${emulator.token}`)).toBe(true);
  });
});
