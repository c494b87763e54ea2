import { describe, expect, it } from 'vitest';
import { bridgeCommand } from '../../../electron/main/app/bridge-command';

describe('bridgeCommand', () => {
  it('runs the packaged bridge with the app binary as Node', () => {
    expect(
      bridgeCommand({
        isPackaged: true,
        execPath: '/Applications/Custodian.app/Contents/MacOS/Custodian',
        resourcesPath: '/Applications/Custodian.app/Contents/Resources',
        mainDir: '/ignored',
      }),
    ).toEqual({
      command: '/Applications/Custodian.app/Contents/MacOS/Custodian',
      args: ['/Applications/Custodian.app/Contents/Resources/bridge/custodian-mcp.js'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('runs the built bridge beside out/main in development', () => {
    expect(
      bridgeCommand({
        isPackaged: false,
        execPath: '/repo/node_modules/electron/dist/electron',
        resourcesPath: '/ignored',
        mainDir: '/repo/out/main',
      }).args,
    ).toEqual(['/repo/out/bridge/custodian-mcp.js']);
  });
});
