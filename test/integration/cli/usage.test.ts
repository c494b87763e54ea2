import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, stopServers, makeSandbox, type Sandbox } from './cli-harness';

// What the CLI says without a running core: usage errors exit 2, commands
// that need the core exit 1 (status 3) naming what to start, and a secret
// typed on the command line is refused without being repeated.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});
afterAll(async () => {
  await stopServers();
  await sandbox?.cleanup();
});

const NOT_RUNNING = 'custodian: Custodian is not running: start the app or `custodian serve`\n';

describe('usage', () => {
  it('prints the commands on --help, to stdout, with status 0', async () => {
    const out = await cli(sandbox, ['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Usage: custodian');
    expect(out.stdout).toContain('credential add');
  });

  it.each([
    [[], 'No command given.'],
    [['frobnicate'], 'Unknown command "frobnicate".'],
    [['credential'], '"credential" needs a subcommand'],
    [['tool', 'explode'], 'Unknown command "tool explode".'],
    [['status', '--verbose'], "Unknown option '--verbose'"],
    [['lock', 'now'], 'Usage: custodian lock'],
    [['credential', 'remove'], 'Usage: custodian credential remove NAME'],
    [['tool', 'set', 'http_request'], 'Usage: custodian tool set TOOL off|ask|allow'],
    [['status', '--data'], "Option '--data <value>' argument missing"],
  ])('refuses %j with status 2', async (args, message) => {
    const out = await cli(sandbox, args);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stdout).toBe('');
  });

  it('refuses a tool mode it does not know, before connecting', async () => {
    const out = await cli(sandbox, ['tool', 'set', 'http_request', 'sometimes']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("a tool's mode is off, ask, allow");
  });
});

describe('without a running core', () => {
  it('status says so with status 3', async () => {
    const out = await cli(sandbox, ['status']);
    expect(out.code).toBe(3);
    expect(out.stderr).toBe('custodian: Custodian is not running (vault state unknown)\n');
    expect(out.stdout).toBe('');
  });

  it('status --json still tells a program which folder it looked at', async () => {
    const out = await cli(sandbox, ['status', '--json']);
    expect(out.code).toBe(3);
    expect(JSON.parse(out.stdout)).toEqual({ running: false, dataDir: sandbox.dataDir });
  });

  it('--data wins over CUSTODIAN_DATA_DIR', async () => {
    const out = await cli(sandbox, ['--data', '/tmp/custodian-cli-elsewhere', 'status', '--json']);
    expect(JSON.parse(out.stdout).dataDir).toBe('/tmp/custodian-cli-elsewhere');
  });

  it.each([
    [['lock']],
    [['credential', 'list']],
    [['credential', 'list', '--json']],
    [['credential', 'remove', 'gh']],
    [['credential', 'add', '--type', 'api_key', '--name', 'gh', '--field', 'header_name=X']],
    [['tool', 'list']],
    [['tool', 'set', 'http_request', 'off']],
  ])('%j fails with status 1 and says what to start', async (args) => {
    const out = await cli(sandbox, args);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(NOT_RUNNING);
    expect(out.stdout).toBe('');
  });
});

describe('secret fields on the command line', () => {
  const SECRET = 'sk-cli-test-DO-NOT-ECHO-91823';

  it.each([
    ['api_key', 'key'],
    ['basic_auth', 'password'],
    ['secret_note', 'note'],
    // Nothing runs to say what a plugin's type holds: every field counts as secret.
    ['pgp_key', 'comment'],
    // Nor is a field a built-in type does not define.
    ['api_key', 'token'],
  ])('refuses %s field %s given inline, naming it and not echoing it', async (type, field) => {
    const out = await cli(sandbox, [
      'credential',
      'add',
      '--type',
      type,
      '--name',
      'x',
      '--field',
      `${field}=${SECRET}`,
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`field "${field}" may be secret`);
    expect(out.stderr).toContain(`--field ${field}=@FILE`);
    expect(out.stderr.includes(SECRET) || out.stdout.includes(SECRET)).toBe(false);
  });

  it('does not echo a malformed --field either', async () => {
    const out = await cli(sandbox, [
      'credential',
      'add',
      '--type',
      'api_key',
      '--name',
      'x',
      '--field',
      SECRET,
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr.includes(SECRET)).toBe(false);
  });
});
