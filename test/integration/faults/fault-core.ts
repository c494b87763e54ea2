import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ApprovalMode } from '../../../electron/core/agents/agent-service';
import type { Core } from '../../../electron/core/create-core';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { FaultyFs } from '../../support/faulty-fs';
import { fixtureDir } from '../../support/plugin-fixtures';

// A real core whose file-system port can be told to fail (FaultyFs), with a
// vault, for the fault tests: the disk full, read-only, or failing with EIO.

export interface FaultCore extends CoreFixture {
  faults: FaultyFs;
}

export async function startFaultCore(
  options: { dataDir?: string; approvals?: ApprovalMode } = {},
): Promise<FaultCore> {
  const faults = new FaultyFs();
  const fixture = await startCore({
    fs: faults.port,
    store: { bundled: null },
    ...(options.approvals ? { approvals: options.approvals } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  resultOf(await fixture.core.dispatch('vault:create', {}));
  // Unlocking writes agent-tools.json in the background; let that write end, so
  // its temp file is not taken for one a failed operation left behind.
  await fixture.core.agents.checkToolsChanged();
  return { ...fixture, faults };
}

/** Every temp or staging file under `folder`, by its path inside it: a failed operation must leave none. */
export async function leftovers(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const name = entry.name;
    if (name.includes('.tmp-') || name.startsWith('.staging-'))
      found.push(relative(folder, join(entry.parentPath, name)));
  }
  return found;
}

/** A secret note as the window sends it. */
export function note(name: string, text = 'n') {
  return { type: 'secret_note', name, fields: { note: text } } as const;
}

/** The credential the fault tests call `fixture_echo` with. */
export const ECHO_CREDENTIAL = 'echo-cred';

/** Installs the echo fixture plugin and adds ECHO_CREDENTIAL, so an agent call can run. */
export async function addEchoCredential(core: Core): Promise<void> {
  await core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'echo_token',
      name: ECHO_CREDENTIAL,
      fields: { token: 'tok' },
    }),
  );
}
