import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A real, small file system for fault tests: a tmpfs mounted on a temporary
// folder (tests run as root here). Where mounting is not allowed (no root, a
// container without CAP_SYS_ADMIN), mountSmallDisk answers null and the test
// that needs it is skipped with a note; the same errors are then proved
// through the file-system port alone.

export interface SmallDisk {
  path: string;
  /** Mounts it read-only (true) or read-write again (false), in place. */
  readOnly(on: boolean): void;
  unmount(): Promise<void>;
}

export async function mountSmallDisk(size = '400k'): Promise<SmallDisk | null> {
  const path = await mkdtemp(join(tmpdir(), 'custodian-disk-'));
  const mounted = spawnSync('mount', [
    '-t',
    'tmpfs',
    '-o',
    `size=${size},mode=0700`,
    'tmpfs',
    path,
  ]);
  if (mounted.status !== 0) {
    await rm(path, { recursive: true, force: true });
    return null;
  }
  return {
    path,
    readOnly(on) {
      const remount = spawnSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, path]);
      if (remount.status !== 0) throw new Error(`remount failed: ${remount.stderr.toString()}`);
    },
    async unmount() {
      spawnSync('umount', ['-l', path]);
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** Whether this machine lets the tests mount one (checked once, at load). */
export async function canMount(): Promise<boolean> {
  const disk = await mountSmallDisk('64k');
  if (!disk) {
    console.warn(
      '[fault tests] mount is not allowed here: real-disk variants are skipped; the file-system port covers the same errors.',
    );
    return false;
  }
  await disk.unmount();
  return true;
}
