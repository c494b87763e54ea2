import { describe, expect, it } from 'vitest';
import { TrayController } from '../../../electron/main/tray/tray-controller';

// Issue 19, point 4: when the data folder or the socket went away, the tray
// says so under its status line, as a line nobody can click.

describe('the tray and a data-folder problem', () => {
  it('shows the problem under the status, and nothing when there is none', async () => {
    let problem: string | undefined =
      'The data folder /x/Custodian was deleted or moved while Custodian ran.';
    const controller = new TrayController({
      vaultState: () => Promise.resolve('unlocked'),
      problem: () => Promise.resolve(problem),
      clients: () => Promise.resolve([]),
      tools: () => Promise.resolve([]),
      setMode: () => Promise.resolve(),
      lock: () => Promise.resolve(),
      open: () => undefined,
      quit: () => undefined,
      log: () => undefined,
    });
    const items = await controller.menu();
    expect(items.slice(0, 2)).toEqual([
      expect.objectContaining({ id: 'status' }),
      { id: 'problem', label: problem, type: 'normal', enabled: false },
    ]);
    problem = undefined;
    expect((await controller.menu()).map((i) => i.id)).not.toContain('problem');
  });
});
