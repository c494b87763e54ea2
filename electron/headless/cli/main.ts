import { BridgeError } from '../../core/bridge';
import { bridgeFailed } from '../../bridge/run';
import { parseCommandLine, USAGE, UsageError, type Invocation } from './args';
import { addCatalog, listCatalogs, refreshCatalogs, removeCatalog } from './commands/catalog';
import { addCredential, listCredentials, removeCredential } from './commands/credential';
import { init } from './commands/init';
import { lock } from './commands/lock';
import { mcp } from './commands/mcp';
import { installPlugin, listPlugins, removePlugin, updatePlugin } from './commands/plugin';
import { keygen, pack, sign, signCatalogFile } from './commands/plugin-author';
import { serve } from './commands/serve';
import { status } from './commands/status';
import { listTools, setTool } from './commands/tool';
import { CliError, EXIT } from './errors';
import { say } from './output';

// `custodian`: the entry, turning every outcome into an exit status.

type Run = Extract<Invocation, { kind: 'run' }>;

function run({ command, dataDir, options, positionals }: Run): Promise<number> {
  const text = (name: string) => options[name] as string | undefined;
  const json = options.json === true;
  const flag = (name: string) => options[name] === true;
  const first = positionals[0] as string;
  switch (command) {
    case 'init':
      return init(dataDir, text('recovery-file'));
    case 'serve':
      return serve(dataDir, {
        recoveryFile: text('recovery-file'),
        allowTools: text('allow-tools'),
      });
    case 'status':
      return status(dataDir, json);
    case 'lock':
      return lock(dataDir);
    case 'credential list':
      return listCredentials(dataDir, { type: text('type'), query: text('query'), json });
    case 'credential add':
      return addCredential(dataDir, {
        type: text('type'),
        name: text('name'),
        description: text('description'),
        field: options.field as string[] | undefined,
      });
    case 'credential remove':
      return removeCredential(dataDir, positionals[0] as string);
    case 'tool list':
      return listTools(dataDir, json);
    case 'tool set':
      return setTool(dataDir, positionals[0] as string, positionals[1] as string);
    case 'plugin keygen':
      return keygen(text('out'));
    case 'plugin pack':
      return pack(first, text('out'));
    case 'plugin sign':
      return sign(first, text('key'));
    case 'plugin install':
      return installPlugin(dataDir, first, {
        allowUnsigned: flag('allow-unsigned'),
        allowDowngrade: flag('allow-downgrade'),
        yes: flag('yes'),
      });
    case 'plugin update':
      return updatePlugin(dataDir, first, flag('yes'));
    case 'plugin remove':
      return removePlugin(dataDir, first);
    case 'plugin list':
      return listPlugins(dataDir, json);
    case 'catalog add':
      return addCatalog(dataDir, first, text('key'));
    case 'catalog list':
      return listCatalogs(dataDir, json);
    case 'catalog remove':
      return removeCatalog(dataDir, first);
    case 'catalog refresh':
      return refreshCatalogs(dataDir, positionals[0]);
    case 'catalog sign':
      return signCatalogFile(first, { key: text('key'), out: text('out') });
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) {
    say(error.message);
    process.stderr.write('Run `custodian --help` for the commands and their options.\n');
    return EXIT.usage;
  }
  // The core's refusals (not_found, vault_locked, invalid_input...) arrive as
  // BridgeErrors whose messages are written for people.
  if (error instanceof CliError || error instanceof BridgeError) {
    say(error.message);
    return error instanceof CliError ? error.exitCode : EXIT.failed;
  }
  say(`unexpected failure: ${(error as Error)?.message ?? String(error)}`);
  return EXIT.failed;
}

async function main(argv: readonly string[]): Promise<void> {
  let invocation: Invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    return exit(exitCodeOf(error));
  }
  if (invocation.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return exit(EXIT.ok);
  }
  // The bridge owns the process from here: it exits when its client goes.
  if (invocation.kind === 'mcp') return mcp(invocation.rest).catch(bridgeFailed);
  let code: number;
  try {
    code = await run(invocation);
  } catch (error) {
    code = exitCodeOf(error);
  }
  return exit(code);
}

// Explicit, after stdout has drained: a leftover handle (a plugin host
// being reaped, a keychain D-Bus connection) must not keep a finished
// command alive, and a pipe must not lose the end of a listing.
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

void main(process.argv.slice(2));
