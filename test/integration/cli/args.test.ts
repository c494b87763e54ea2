import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../electron/headless/cli/args';

// The command line's shape, without processes: where options may stand,
// and what reaches the bridge for `mcp`.

describe('parseCommandLine', () => {
  it('takes options before, between and after the command words', () => {
    for (const argv of [
      ['--data', '/d', 'credential', 'list', '--json'],
      ['credential', '--data=/d', 'list', '--json'],
      ['credential', 'list', '--json', '--data', '/d'],
    ])
      expect(parseCommandLine(argv)).toMatchObject({
        kind: 'run',
        command: 'credential list',
        dataDir: '/d',
        options: { json: true },
      });
  });

  it('collects repeated --field options in order', () => {
    const parsed = parseCommandLine([
      'credential',
      'add',
      '--type',
      'api_key',
      '--name',
      'n',
      '--field',
      'key=@-',
      '--field',
      'header_name=X',
    ]);
    expect(parsed).toMatchObject({ options: { field: ['key=@-', 'header_name=X'] } });
  });

  it('gives the positionals after the command words', () => {
    expect(parseCommandLine(['tool', 'set', 'http_request', 'off'])).toMatchObject({
      command: 'tool set',
      positionals: ['http_request', 'off'],
    });
  });

  it('hands everything after mcp to the bridge, with --data resolved first', () => {
    expect(parseCommandLine(['mcp', '--help'])).toEqual({ kind: 'mcp', rest: ['--help'] });
    expect(parseCommandLine(['--data', 'rel/dir', 'mcp'])).toEqual({
      kind: 'mcp',
      rest: ['--data', `${process.cwd()}/rel/dir`],
    });
  });

  it('refuses an option of another command', () => {
    expect(() => parseCommandLine(['status', '--field', 'a=b'])).toThrow(UsageError);
    expect(() => parseCommandLine(['lock', '--json'])).toThrow(UsageError);
  });

  it('answers help for help, --help and -h', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['tool', '--help'], ['status', '-h']])
      expect(parseCommandLine(argv)).toEqual({ kind: 'help' });
  });
});
