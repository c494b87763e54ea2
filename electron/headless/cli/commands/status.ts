import { withCore } from '../client';
import { CustodianError } from '../../../../shared/errors';
import { print, printJson } from '../output';

// Status answers even when nothing runs, with its own exit status (3), so
// scripts can wait for a server without parsing words.

export async function status(dataDir: string, json: boolean): Promise<number> {
  let answer;
  try {
    answer = await withCore(dataDir, (core) => core.call('status', {}));
  } catch (error) {
    if (!(error instanceof CustodianError) || error.code !== 'not_connected') throw error;
    if (json) printJson({ running: false, dataDir });
    throw new CustodianError('not_running', 'Custodian is not running (vault state unknown)');
  }
  if (json) {
    printJson({ running: true, dataDir, ...answer });
    return 0;
  }
  // The count includes this very connection; people want to know about the others.
  const others = answer.clients - 1;
  const clients =
    others <= 0 ? 'no other clients' : others === 1 ? '1 other client' : `${others} other clients`;
  print(
    `Custodian ${answer.server.version} is running on ${dataDir}: vault ${answer.vault}, ${clients} connected\n`,
  );
  return 0;
}
