import { parseArgs as parseOptions, type ParseArgsConfig } from 'node:util';
import { homedir } from 'node:os';
import { parseArgs as parseBridgeArgs, UsageError } from '../../bridge/args';
import { terminal } from './terminal';

// The command line: a command path (`credential add`), then options in any
// order. node:util's parseArgs does the option syntax (--x=v, --x v, -h,
// repeated flags, `--`), so what is ours is only which command takes what.

export { UsageError };

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export type CommandName =
  | 'init'
  | 'serve'
  | 'status'
  | 'lock'
  | 'credential list'
  | 'credential add'
  | 'credential remove'
  | 'credential types'
  | 'tool list'
  | 'tool set'
  | 'audit list'
  | 'audit verify'
  | 'plugin keygen'
  | 'plugin pack'
  | 'plugin sign'
  | 'plugin install'
  | 'plugin update'
  | 'plugin remove'
  | 'plugin list'
  | 'catalog add'
  | 'catalog list'
  | 'catalog remove'
  | 'catalog refresh'
  | 'catalog sign'
  | 'mcp'
  | 'ssh-sign';

interface CommandSpec {
  options: ParseArgsOptionsConfig;
  /** Names of the positionals after the command path, all required. */
  positionals: readonly string[];
  /** Names of positionals that may follow the required ones. */
  optional?: readonly string[];
  usage: string;
}

const DATA = { data: { type: 'string' } } as const satisfies ParseArgsOptionsConfig;
const JSON_OUTPUT = { json: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;
const HELP = { help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsOptionsConfig;
const VERSION = { version: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;
const OUT = { out: { type: 'string' } } as const satisfies ParseArgsOptionsConfig;
const KEY = { key: { type: 'string' } } as const satisfies ParseArgsOptionsConfig;
const YES = { yes: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;

const COMMANDS: Record<Exclude<CommandName, 'mcp' | 'ssh-sign'>, CommandSpec> = {
  init: {
    options: { 'recovery-file': { type: 'string' } },
    positionals: [],
    usage: 'init [--recovery-file FILE]',
  },
  serve: {
    options: {
      'recovery-file': { type: 'string' },
      'allow-tools': { type: 'string' },
      admin: { type: 'boolean' },
    },
    positionals: [],
    usage: 'serve [--recovery-file FILE] [--allow-tools TOOL,...] [--admin]',
  },
  status: { options: JSON_OUTPUT, positionals: [], usage: 'status [--json]' },
  lock: { options: {}, positionals: [], usage: 'lock' },
  'credential list': {
    options: { ...JSON_OUTPUT, type: { type: 'string' }, query: { type: 'string' } },
    positionals: [],
    usage: 'credential list [--type TYPE] [--query TEXT] [--json]',
  },
  'credential add': {
    options: {
      type: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      field: { type: 'string', multiple: true },
    },
    positionals: [],
    usage:
      'credential add --type TYPE --name NAME [--description TEXT] --field KEY=VALUE|KEY=@FILE|KEY=@- ...',
  },
  'credential remove': { options: {}, positionals: ['NAME'], usage: 'credential remove NAME' },
  'credential types': {
    options: JSON_OUTPUT,
    positionals: [],
    usage: 'credential types [--json]',
  },
  'tool list': { options: JSON_OUTPUT, positionals: [], usage: 'tool list [--json]' },
  'tool set': { options: {}, positionals: ['TOOL', 'MODE'], usage: 'tool set TOOL off|ask|allow' },
  'audit list': {
    options: {
      ...JSON_OUTPUT,
      tool: { type: 'string' },
      client: { type: 'string' },
      since: { type: 'string' },
    },
    positionals: [],
    usage: 'audit list [--tool T] [--client C] [--since TIME] [--json]',
  },
  'audit verify': { options: JSON_OUTPUT, positionals: [], usage: 'audit verify [--json]' },
  'plugin keygen': { options: OUT, positionals: [], usage: 'plugin keygen --out PREFIX' },
  'plugin pack': { options: OUT, positionals: ['DIR'], usage: 'plugin pack DIR --out FILE' },
  'plugin sign': {
    options: KEY,
    positionals: ['ARCHIVE'],
    usage: 'plugin sign --key FILE ARCHIVE',
  },
  'plugin install': {
    options: {
      'allow-unsigned': { type: 'boolean' },
      'allow-downgrade': { type: 'boolean' },
      ...YES,
    },
    positionals: ['TARGET'],
    usage:
      'plugin install ARCHIVE|URL|NAME[@VERSION] [--allow-unsigned] [--allow-downgrade] [--yes]',
  },
  'plugin update': { options: YES, positionals: ['NAME'], usage: 'plugin update NAME [--yes]' },
  'plugin remove': { options: {}, positionals: ['NAME'], usage: 'plugin remove NAME' },
  'plugin list': { options: JSON_OUTPUT, positionals: [], usage: 'plugin list [--json]' },
  'catalog add': {
    options: KEY,
    positionals: ['URL'],
    usage: 'catalog add URL --key BASE64|@FILE',
  },
  'catalog list': { options: JSON_OUTPUT, positionals: [], usage: 'catalog list [--json]' },
  'catalog remove': { options: {}, positionals: ['ID'], usage: 'catalog remove ID' },
  'catalog refresh': {
    options: {},
    positionals: [],
    optional: ['ID'],
    usage: 'catalog refresh [ID]',
  },
  'catalog sign': {
    options: { ...KEY, ...OUT },
    positionals: ['BODY'],
    usage: 'catalog sign --key FILE BODY.json --out FILE',
  },
};

const GROUPS = ['credential', 'tool', 'audit', 'plugin', 'catalog'] as const;

export const USAGE = `Usage: custodian [--data DIR] COMMAND [OPTIONS]
       custodian --help | --version

Commands:
${[
  ...Object.values(COMMANDS).map((c) => c.usage),
  'mcp [--data DIR]',
  "ssh-sign -Y sign -n NAMESPACE -f KEYFILE FILE...   (git's gpg.ssh.program)",
]
  .map((u) => `  ${u}`)
  .join('\n')}

The data folder is --data DIR, else CUSTODIAN_DATA_DIR, else the app's own.
init and serve run the vault in this process; status, lock, credential, tool,
audit, plugin install|update|remove|list and catalog add|list|remove|refresh ask
the running app or \`custodian serve\` over the admin channel (its own socket
and token, which the bridge never reads); mcp is the stdio MCP bridge, on the
agents' channel (status, tools and their calls, events; nothing else).
ssh-sign (also the custodian-ssh-sign command) is for git's gpg.ssh.program:
it signs with the stored SSH key whose public key KEYFILE holds by calling
ssh_sign on the agents' channel, under that tool's mode, approval and audit
like any agent, and writes FILE.sig; every other -Y operation (verify,
find-principals, check-novalidate) runs the system's ssh-keygen.
In the app, the command line's first request asks the person in the window
for a session (until Custodian locks or 10 idle minutes), and each change that
weakens protection (a tool set to allow, an unsigned or downgraded plugin
install, a new catalog, removing a credential) is confirmed there each time.
serve keeps the admin channel closed unless started with --admin (whoever can
run commands as this user can then change everything), and nobody is asked.
audit list shows every kept entry that matches (not a page); audit verify
checks the keyed chain against the head anchored in the vault and exits 1
with the first problem it finds.
For plugin authors and catalog publishers, offline: plugin keygen writes an
Ed25519 key pair (PREFIX.key, private; PREFIX.pub, the base64 public key that
catalog add --key takes), plugin pack and plugin sign make ARCHIVE and
ARCHIVE.sig, and catalog sign wraps a catalog body in a signed envelope.
plugin install refuses an archive nobody vouches for (no catalog lists it, no
trusted key signed it) unless --allow-unsigned; --yes accepts an update that
widens a plugin's capabilities.
A secret field's value (credential types shows which fields are) comes from a
file (KEY=@FILE) or stdin (KEY=@-), never from the command line. Exit status: 0 done, 1 failed, 2 usage error, 3 (status
only) Custodian is not running.

For tests and benchmarks only: CUSTODIAN_KEYCHAIN_SERVICE names the keychain
service (default "Custodian"), and CUSTODIAN_KDF=test uses the cheapest key
derivation the vault accepts when init creates a vault.`;

export type Invocation =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: Exclude<CommandName, 'mcp' | 'ssh-sign'>;
      dataDir: string;
      options: Record<string, string | boolean | string[] | undefined>;
      positionals: string[];
    }
  /** The bridge parses its own arguments; `rest` already carries a resolved --data. */
  | { kind: 'mcp'; rest: string[] }
  /** ssh-keygen's arguments, as git passes them: read by ssh-sign itself. */
  | { kind: 'ssh-sign'; dataDir: string; rest: string[] };

type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

// Every option any command takes, typed, so the first pass can tell an
// option's value from the command words without knowing the command yet.
const ALL_OPTIONS: ParseArgsOptionsConfig = Object.assign(
  { ...DATA, ...HELP, ...VERSION },
  ...Object.values(COMMANDS).map((c) => c.options),
);

export function parseCommandLine(argv: readonly string[]): Invocation {
  const { tokens } = parseOptions({
    args: [...argv],
    options: ALL_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const words = tokens.filter((t) => t.kind === 'positional');
  const first = words[0];
  if (first?.value === 'mcp') return parseMcp(argv, first.index);
  if (first?.value === 'ssh-sign') return parseSshSign(argv, first.index);
  if (first?.value === 'help') return { kind: 'help' };
  const asked = (option: string) => tokens.some((t) => t.kind === 'option' && t.name === option);

  let name: string | undefined = first?.value;
  let pathLength = 1;
  if ((GROUPS as readonly string[]).includes(name ?? '')) {
    const sub = words[1]?.value;
    if (sub === undefined) {
      if (asked('help')) return { kind: 'help' };
      throw new UsageError(`"${name}" needs a subcommand: see custodian --help.`);
    }
    name = `${name} ${sub}`;
    pathLength = 2;
  }
  if (name === undefined) {
    if (asked('help')) return { kind: 'help' };
    if (asked('version')) return { kind: 'version' };
    throw new UsageError(`No command given.\n\n${USAGE}`);
  }
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`Unknown command "${printable(name)}".`);
  const command = name as Exclude<CommandName, 'mcp' | 'ssh-sign'>;
  const spec = COMMANDS[command];

  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseOptions({
      args: [...argv],
      options: { ...DATA, ...HELP, ...spec.options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${optionError(error)}. Usage: custodian ${spec.usage}`);
  }
  if (parsed.values.help) return { kind: 'help' };
  const positionals = parsed.positionals.slice(pathLength);
  const most = spec.positionals.length + (spec.optional?.length ?? 0);
  if (positionals.length < spec.positionals.length || positionals.length > most)
    throw new UsageError(`Usage: custodian ${spec.usage}`);
  const { data, ...options } = parsed.values;
  return {
    kind: 'run',
    command,
    dataDir: resolveDataDir(data as string | undefined),
    options: options as Record<string, string | boolean | string[] | undefined>,
    positionals,
  };
}

/** Options before `mcp` are ours (only --data); the rest belong to the bridge. */
function parseMcp(argv: readonly string[], at: number): Invocation {
  let values: OptionValues;
  try {
    ({ values } = parseOptions({
      args: argv.slice(0, at),
      options: { ...DATA, ...HELP },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${optionError(error)}. Usage: custodian [--data DIR] mcp`);
  }
  if (values.help) return { kind: 'help' };
  const rest = argv.slice(at + 1);
  const data = values.data as string | undefined;
  return {
    kind: 'mcp',
    rest: data === undefined ? rest : ['--data', resolveDataDir(data), ...rest],
  };
}

/** Options before `ssh-sign` are ours (only --data); everything after is ssh-keygen's. */
function parseSshSign(argv: readonly string[], at: number): Invocation {
  let values: OptionValues;
  try {
    ({ values } = parseOptions({
      args: argv.slice(0, at),
      options: { ...DATA },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${optionError(error)}. Usage: custodian [--data DIR] ssh-sign ARGS...`);
  }
  return {
    kind: 'ssh-sign',
    dataDir: resolveDataDir(values.data as string | undefined),
    rest: argv.slice(at + 1),
  };
}

/** --data, else CUSTODIAN_DATA_DIR, else the app's folder: the bridge's own rule. */
export function resolveDataDir(flag: string | undefined): string {
  const parsed = parseBridgeArgs(flag === undefined ? [] : [`--data=${flag}`], {
    env: terminal().env,
    platform: process.platform,
    home: homedir(),
  });
  if (parsed.kind !== 'run') throw new UsageError('--data needs a folder: --data DIR');
  return parsed.args.dataDir;
}

/** A word from the command line, safe to echo: it may be anything, even a pasted secret's neighbour. */
function printable(word: string): string {
  return word.replace(/\p{C}/gu, '?').slice(0, 60);
}

/** node:util's message without its advice about `--`, which is rarely what was meant here. */
function optionError(error: unknown): string {
  return (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
}
