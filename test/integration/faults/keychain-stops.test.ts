import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 19, point 5: the keychain goes away while the vault is unlocked: the
// gnome-keyring of a private D-Bus session is killed mid-session (in a child
// process with a session of its own, so no other test loses its keychain).
// The vault stays usable until it is locked; the next unlock explains and
// offers the recovery passphrase; and no key is enrolled into whatever
// keychain answers afterwards (D-Bus starts a fresh, locked gnome-keyring).

const canRun =
  spawnSync('sh', ['-c', 'command -v dbus-run-session gnome-keyring-daemon dbus-send']).status ===
  0;
if (!canRun) console.warn('[fault tests] no dbus-run-session or gnome-keyring here: skipped');

const repo = join(import.meta.dirname, '..', '..', '..');

describe.skipIf(!canRun)('the keychain stops while the vault is unlocked', () => {
  it('stays usable until lock, then offers the recovery passphrase and enrols nothing', () => {
    const env = { ...process.env };
    // A session of its own, not this run's.
    delete env.CUSTODIAN_KEYRING_INNER;
    const child = spawnSync(
      join(repo, 'test', 'support', 'with-keyring.sh'),
      [
        process.execPath,
        '--import',
        'tsx',
        join(repo, 'test', 'support', 'keychain-stops-child.ts'),
      ],
      { cwd: repo, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    const seen = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(seen.created).toBe('enrolled');
    // Unlocked, the data key is in memory: saves need no keychain.
    expect(seen.whileDown).toMatchObject({ result: { name: 'while-down' } });
    expect(seen.namesWhileDown).toEqual(['kept', 'while-down']);
    // The next unlock says what happened and offers the recovery passphrase.
    expect(seen.unlock).toEqual({
      error: {
        code: 'keychain_unavailable',
        message: expect.stringMatching(
          /^The system keychain could not be reached: .*\. It stopped after it had opened this vault in this session\. Unlock with your recovery passphrase instead; until Custodian restarts, it stores this vault's key in no other keychain\.$/,
        ) as unknown,
      },
    });
    // Recovery opens it; no key goes into the keychain that answers now.
    expect(seen.recover).toEqual({ keychain: 'unavailable' });
    expect(seen.namesRecovered).toEqual(['kept', 'while-down']);
    expect(seen.afterRecover).toBe('saved');
    expect(seen.unlockAgain).toMatchObject({ error: { code: 'keychain_unavailable' } });
    expect(seen.wrapUnchanged).toBe(true);
  });
});
