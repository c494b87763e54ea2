import { parseCommandLine, USAGE, type Invocation } from './args';
import { cliFailure, EXIT } from '../../../shared/error-boundaries';
import { print } from './output';
import { terminal } from './terminal';
import { CLI_VERSION } from './version';

// One command line, start to exit status, in whatever terminal it runs in
// (main.ts gives it the process's). Each command's module is imported when
// that command runs and not before, so --help, --version and a usage error
// never load the core, the socket client or the store.

/** The exit status, or the bridge's arguments: `mcp` takes the process over. */
export type Outcome = { exitCode: number } | { bridge: string[] };

export async function runCommandLine(argv: readonly string[]): Promise<Outcome> {
  let invocation: Invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    const exitCode = failed(error);
    terminal().stderr.write('Run `custodian --help` for the commands and their options.\n');
    return { exitCode };
  }
  switch (invocation.kind) {
    case 'help':
      print(`${USAGE}\n`);
      return { exitCode: EXIT.ok };
    case 'version':
      print(`custodian ${CLI_VERSION}\n`);
      return { exitCode: EXIT.ok };
    case 'mcp':
      return { bridge: invocation.rest };
    case 'ssh-sign':
      try {
        return {
          exitCode: await (
            await import('./commands/ssh-sign')
          ).sshSign(invocation.dataDir, invocation.rest),
        };
      } catch (error) {
        return { exitCode: failed(error) };
      }
    case 'run':
      try {
        return { exitCode: await run(invocation) };
      } catch (error) {
        return { exitCode: failed(error) };
      }
  }
}

type Run = Extract<Invocation, { kind: 'run' }>;

async function run({ command, dataDir, options, positionals }: Run): Promise<number> {
  const text = (name: string) => options[name] as string | undefined;
  const json = options.json === true;
  const flag = (name: string) => options[name] === true;
  const first = positionals[0] as string;
  switch (command) {
    case 'init':
      return (await import('./commands/init')).init(dataDir, text('recovery-file'));
    case 'serve':
      return (await import('./commands/serve')).serve(dataDir, {
        recoveryFile: text('recovery-file'),
        allowTools: text('allow-tools'),
        admin: flag('admin'),
      });
    case 'status':
      return (await import('./commands/status')).status(dataDir, json);
    case 'lock':
      return (await import('./commands/lock')).lock(dataDir);
    case 'credential list':
      return (await import('./commands/credential')).listCredentials(dataDir, {
        type: text('type'),
        query: text('query'),
        json,
      });
    case 'credential add':
      return (await import('./commands/credential')).addCredential(dataDir, {
        type: text('type'),
        name: text('name'),
        description: text('description'),
        field: options.field as string[] | undefined,
      });
    case 'credential remove':
      return (await import('./commands/credential')).removeCredential(dataDir, first);
    case 'credential types':
      return (await import('./commands/credential')).listCredentialTypes(dataDir, json);
    case 'tool list':
      return (await import('./commands/tool')).listTools(dataDir, json);
    case 'tool set':
      return (await import('./commands/tool')).setTool(dataDir, first, positionals[1] as string);
    case 'audit list':
      return (await import('./commands/audit')).listAudit(dataDir, {
        tool: text('tool'),
        client: text('client'),
        since: text('since'),
        json,
      });
    case 'audit verify':
      return (await import('./commands/audit')).verifyAudit(dataDir, json);
    case 'plugin keygen':
      return (await import('./commands/plugin-author')).keygen(text('out'));
    case 'plugin pack':
      return (await import('./commands/plugin-author')).pack(first, text('out'));
    case 'plugin sign':
      return (await import('./commands/plugin-author')).sign(first, text('key'));
    case 'plugin install':
      return (await import('./commands/plugin')).installPlugin(dataDir, first, {
        allowUnsigned: flag('allow-unsigned'),
        allowDowngrade: flag('allow-downgrade'),
        yes: flag('yes'),
      });
    case 'plugin update':
      return (await import('./commands/plugin')).updatePlugin(dataDir, first, flag('yes'));
    case 'plugin remove':
      return (await import('./commands/plugin')).removePlugin(dataDir, first);
    case 'plugin list':
      return (await import('./commands/plugin')).listPlugins(dataDir, json);
    case 'catalog add':
      return (await import('./commands/catalog')).addCatalog(dataDir, first, text('key'));
    case 'catalog list':
      return (await import('./commands/catalog')).listCatalogs(dataDir, json);
    case 'catalog remove':
      return (await import('./commands/catalog')).removeCatalog(dataDir, first);
    case 'catalog refresh':
      return (await import('./commands/catalog')).refreshCatalogs(dataDir, positionals[0]);
    case 'catalog sign':
      return (await import('./commands/plugin-author')).signCatalogFile(first, {
        key: text('key'),
        out: text('out'),
      });
  }
}

/** Prints the failure's line and answers its exit status, both from its code. */
function failed(error: unknown): number {
  const { exitCode, stderr } = cliFailure(error);
  terminal().stderr.write(stderr);
  return exitCode;
}
