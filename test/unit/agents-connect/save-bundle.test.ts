import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveClaudeBundle } from '../../../electron/core/agents/claude-desktop/save-bundle';
import { codeOf, makeTempDir } from '../../support/core-fixture';

// "Install in Claude Desktop (.mcpb)": the shipped bundle, copied where main's
// save dialog says; nothing when the dialog is closed; a clear error when the
// bundle is missing or the place cannot be written.

async function shipped(): Promise<{ dir: string; path: string }> {
  const dir = await makeTempDir('custodian-mcpb-');
  const path = join(dir, 'custodian.mcpb');
  await writeFile(path, 'PK\x03\x04 a bundle');
  return { dir, path };
}

describe('saveClaudeBundle', () => {
  it('copies the bundle to the chosen path, leaving no temp file', async () => {
    const { dir, path } = await shipped();
    const target = join(dir, 'out', 'my-custodian.mcpb');
    await mkdir(join(dir, 'out'));
    expect(await saveClaudeBundle({ path, pickSaveTarget: async () => target })).toEqual({
      path: target,
    });
    expect(await readFile(target, 'utf8')).toBe('PK\x03\x04 a bundle');
    expect(await readdir(join(dir, 'out'))).toEqual(['my-custodian.mcpb']);
  });

  it('does nothing when the person closes the dialog', async () => {
    const { dir, path } = await shipped();
    expect(await saveClaudeBundle({ path, pickSaveTarget: async () => null })).toEqual({
      path: null,
    });
    expect(await readdir(dir)).toEqual(['custodian.mcpb']);
  });

  it('says the bundle is missing before asking where to save it', async () => {
    let asked = false;
    const missing = saveClaudeBundle({
      path: '/nonexistent/custodian.mcpb',
      pickSaveTarget: async () => {
        asked = true;
        return '/tmp/x.mcpb';
      },
    });
    expect(await codeOf(missing)).toBe('not_found');
    expect(asked).toBe(false);
    expect(await codeOf(saveClaudeBundle(undefined))).toBe('not_found');
  });

  it('names a place it cannot write, and leaves nothing behind', async () => {
    const { dir, path } = await shipped();
    // A folder that is not there (the tests run as root here, so permissions would not stop it).
    const target = join(dir, 'gone', 'custodian.mcpb');
    const failed = saveClaudeBundle({ path, pickSaveTarget: async () => target });
    await expect(failed).rejects.toThrow(
      `Could not save the bundle to ${target} (ENOENT); choose another place.`,
    );
    expect(await readdir(dir)).toEqual(['custodian.mcpb']);
  });
});
