import { describe, expect, it } from 'vitest';
import { unpackedUrl } from '../../../electron/plugin-host/unpacked-url';

describe('unpackedUrl', () => {
  it('points a URL inside app.asar at the unpacked copy, on POSIX and Windows paths', () => {
    expect(
      unpackedUrl(
        'file:///opt/Custodian/resources/app.asar/node_modules/@extism/extism/dist/node/index.js',
      ),
    ).toBe(
      'file:///opt/Custodian/resources/app.asar.unpacked/node_modules/@extism/extism/dist/node/index.js',
    );
    expect(unpackedUrl('file:///C:/Custodian/resources/app.asar/node_modules/x.js')).toBe(
      'file:///C:/Custodian/resources/app.asar.unpacked/node_modules/x.js',
    );
    expect(unpackedUrl('C:\\Custodian\\resources\\app.asar\\node_modules\\x.js')).toBe(
      'C:\\Custodian\\resources\\app.asar.unpacked\\node_modules\\x.js',
    );
  });

  it('leaves a URL outside an archive alone, and one already unpacked', () => {
    const dev = 'file:///work/main/node_modules/@extism/extism/dist/node/index.js';
    expect(unpackedUrl(dev)).toBe(dev);
    const unpacked = 'file:///opt/C/resources/app.asar.unpacked/node_modules/x.js';
    expect(unpackedUrl(unpacked)).toBe(unpacked);
    // A folder merely named like one is not the archive.
    const lookalike = 'file:///home/me/app.asar.backup/node_modules/x.js';
    expect(unpackedUrl(lookalike)).toBe(lookalike);
  });
});
