import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledStoreDir } from '../../../electron/main/store/store-location';

describe('bundledStoreDir', () => {
  it('is resources/store when packaged and out/store beside out/main in development', () => {
    const input = { resourcesPath: '/opt/Custodian/resources', mainDir: '/repo/out/main' };
    expect(bundledStoreDir({ ...input, isPackaged: true })).toBe(
      join('/opt/Custodian/resources', 'store'),
    );
    expect(bundledStoreDir({ ...input, isPackaged: false })).toBe(join('/repo/out', 'store'));
  });
});
