import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeClientFor } from '../../../electron/core/bridge';
import { cli, makeSandbox, serve, stopServers, type Sandbox } from './cli-harness';

// Issue 14, point 2, headless: an agent with a shell can run the custodian
// command line as well as anyone. `custodian serve` therefore keeps the admin
// channel closed unless its operator started it with --admin, and its refusal
// says so and how; the agents' token never opens it either.

const CLOSED =
  'custodian: The admin channel is closed: this core was started without --admin. Start it ' +
  'with `custodian serve --admin` (whoever can run commands as this user can then change ' +
  'everything), or use the Custodian window.\n';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
  const init = await cli(sandbox, ['init', '--recovery-file', join(sandbox.dataDir, 'rec')]);
  expect(init.code).toBe(0);
});
afterAll(async () => {
  await stopServers();
  await sandbox?.cleanup();
});

const modeOf = async (tool: string) => {
  const client = bridgeClientFor(
    sandbox.dataDir,
    { name: 'peek', version: '1' },
    { reconnect: false },
  );
  await client.connect();
  try {
    // What an agent sees: a tool set to off disappears, any other mode is listed.
    return (await client.call('tools:list', {})).tools.some((t) => t.name === tool);
  } finally {
    await client.close();
  }
};

describe('custodian serve without --admin', () => {
  it('refuses `tool set http_request allow`, saying the channel is closed and how to open it', async () => {
    const server = await serve(sandbox);
    expect(server.stderr()).toContain(`custodian: serving ${sandbox.dataDir} (vault unlocked)\n`);
    const refused = await cli(sandbox, ['tool', 'set', 'http_request', 'allow']);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: CLOSED });
    // Every change, and every read beyond what an agent may see, is refused alike.
    for (const args of [
      ['tool', 'set', 'http_request', 'off'],
      ['credential', 'list'],
      ['lock'],
      ['audit', 'verify'],
    ]) {
      const out = await cli(sandbox, args);
      expect(out, args.join(' ')).toEqual({ code: 1, stdout: '', stderr: CLOSED });
    }
    // What an agent may ask, the command line may too: status answers.
    expect((await cli(sandbox, ['status'])).code).toBe(0);
    expect(await modeOf('http_request')).toBe(true);
    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

describe('custodian serve --admin', () => {
  it('accepts `tool set http_request allow` without asking anyone', async () => {
    const server = await serve(sandbox, ['--admin']);
    expect(server.stderr()).toContain(
      `custodian: serving ${sandbox.dataDir} (vault unlocked; admin channel open)\n`,
    );
    const set = await cli(sandbox, ['tool', 'set', 'http_request', 'allow']);
    expect(set).toEqual({ code: 0, stdout: '', stderr: 'custodian: http_request is now allow\n' });
    const list = await cli(sandbox, ['tool', 'list', '--json']);
    expect(
      (JSON.parse(list.stdout) as { name: string; mode: string }[]).find(
        (t) => t.name === 'http_request',
      )?.mode,
    ).toBe('allow');
    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('documents --admin and what it means in the help', async () => {
    const help = await cli(sandbox, ['--help']);
    expect(help.stdout).toContain(
      'serve [--recovery-file FILE] [--allow-tools TOOL,...] [--admin]',
    );
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      'serve keeps the admin channel closed unless started with --admin (whoever can run commands as this user can then change everything)',
    );
  });
});
