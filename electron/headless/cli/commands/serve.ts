import { installLastResort } from '../../../core/last-resort';
import { refuseWhileServed } from '../client';
import { CustodianError } from '../../../../shared/errors';
import { call, startInProcessCore } from '../in-process';
import { say } from '../output';
import { readSecretFile } from '../read-secret';
import { terminal } from '../terminal';

// The core without a window, until SIGTERM or SIGINT. It refuses to start
// locked: headless, nobody could unlock it, so a locked server would only
// answer "locked" to everyone. Without a window nobody can approve either, so
// ask-tools are refused unless --allow-tools lets them through, and the
// command line's admin channel is closed unless --admin opens it (then its
// token alone lets anyone who can run commands as this user change everything).

export interface ServeOptions {
  recoveryFile?: string;
  allowTools?: string;
  /** Opens the admin channel without asking anybody. */
  admin?: boolean;
}

export async function serve(dataDir: string, options: ServeOptions): Promise<number> {
  // A long-running core: an error nobody caught is logged by name and place, and it keeps serving.
  installLastResort({ label: 'custodian' });
  const stop = stopSignal();
  const allowTools = parseToolList(options.allowTools);
  await refuseWhileServed(dataDir, 'stop it first, or serve another data folder');
  const core = await startInProcessCore(
    dataDir,
    { kind: 'headless', allowTools },
    options.admin ? 'open' : 'closed',
  );
  try {
    const status = await call(core, 'vault.status', {});
    if (status.state === 'absent')
      throw new CustodianError(
        'vault_absent',
        `${dataDir} holds no vault: create one with \`custodian init\``,
      );
    if (options.recoveryFile !== undefined) {
      const passphrase = await readSecretFile(options.recoveryFile, 'recovery passphrase');
      await call(core, 'vault.recover', { passphrase });
    } else {
      try {
        await call(core, 'vault.unlock', {});
      } catch (error) {
        throw new CustodianError(
          'keychain_unavailable',
          `cannot unlock with the system keychain (${(error as Error).message}); ` +
            'give the recovery passphrase with --recovery-file FILE',
        );
      }
    }
    await core.startBridge();
    const allowed = allowTools.length ? `; ask-tools allowed: ${allowTools.join(', ')}` : '';
    const admin = options.admin ? '; admin channel open' : '';
    say(`serving ${dataDir} (vault unlocked${allowed}${admin})`);
    const why = await stop.signalled;
    say(`stopping (${why})`);
    return 0;
  } finally {
    stop.dispose();
    await core.close();
  }
}

function parseToolList(list: string | undefined): string[] {
  if (list === undefined) return [];
  const tools = list
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tools.length === 0)
    throw new CustodianError('usage', '--allow-tools needs tool names: TOOL,TOOL,...');
  return tools;
}

// Listening from the start, so a signal during start-up still closes the
// core (and its socket) rather than killing the process mid-way.
function stopSignal(): { signalled: Promise<string>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<string>((resolve) => (onSignal = resolve));
  const { signals } = terminal();
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  return {
    signalled,
    dispose: () => {
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
    },
  };
}
