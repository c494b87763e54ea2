import { homedir } from 'node:os';
import { CustodianError } from '../../shared/errors';
import { join, resolve, win32 } from 'node:path';

// Where the bridge finds the app: `--data DIR`, else CUSTODIAN_DATA_DIR, else
// the folder the app itself uses, which is Electron's userData for the app
// name "Custodian" (app.getPath('appData') joined with the name).

export const APP_NAME = 'Custodian';

export interface BridgeArgs {
  dataDir: string;
  /** Where the data folder came from, for messages. */
  source: 'flag' | 'env' | 'default';
}

export type ParsedArgs = { kind: 'run'; args: BridgeArgs } | { kind: 'help' };

/** A command line it does not understand: the one CustodianError with code `usage` (exit 2). */
export class UsageError extends CustodianError {
  constructor(message: string) {
    super('usage', message);
  }
}

export const USAGE = `Usage: custodian-mcp [--data DIR]

The Custodian MCP bridge: an MCP server on stdin/stdout that forwards to the
running Custodian app. The data folder is --data DIR, else CUSTODIAN_DATA_DIR,
else the app's default folder. An empty --data= (as Custodian's MCP Bundle
passes a data folder left blank) means the same as none.`;

/** What custodian.mcpb passes as --data=…; a host may leave it unreplaced when the field is blank. */
export const BUNDLE_DATA_PLACEHOLDER = '${user_config.data_folder}';

export interface Environment {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
}

const hostEnvironment = (): Environment => ({
  env: process.env,
  platform: process.platform,
  home: homedir(),
});

/** Electron's userData folder for Custodian on this platform. */
export function defaultDataDir(environment: Environment = hostEnvironment()): string {
  const { env, platform, home } = environment;
  switch (platform) {
    case 'win32':
      return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
  }
}

export function parseArgs(
  argv: readonly string[],
  environment: Environment = hostEnvironment(),
): ParsedArgs {
  let flag: string | undefined;
  let blank = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    let value: string | undefined;
    if (arg === '--data') {
      value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError('--data needs a folder: --data DIR');
    } else if (arg.startsWith('--data=')) {
      value = arg.slice('--data='.length);
      // An MCP Bundle passes its optional data folder this way; left blank, a
      // host substitutes "" or leaves the placeholder as written: the default then.
      if (value === '' || value === BUNDLE_DATA_PLACEHOLDER) {
        if (flag !== undefined || blank) throw new UsageError('--data was given more than once.');
        blank = true;
        continue;
      }
    } else {
      throw new UsageError(`Unknown argument "${arg.slice(0, 100)}".`);
    }
    if (value === '') throw new UsageError('--data needs a folder: --data DIR');
    if (flag !== undefined || blank) throw new UsageError('--data was given more than once.');
    flag = value;
  }
  if (flag !== undefined) return { kind: 'run', args: { dataDir: resolve(flag), source: 'flag' } };
  const fromEnv = environment.env.CUSTODIAN_DATA_DIR;
  if (fromEnv) return { kind: 'run', args: { dataDir: resolve(fromEnv), source: 'env' } };
  return { kind: 'run', args: { dataDir: defaultDataDir(environment), source: 'default' } };
}
