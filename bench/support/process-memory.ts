import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../harness';

// Resident memory of a process and of its children, read from /proc (Linux;
// elsewhere the memory figures come out empty rather than wrong).

/** VmRSS of `pid` in MiB, or NaN when it cannot be read. */
export async function rssMiB(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The median of a few readings a little apart, so that one GC does not decide the figure. */
export async function settledRss(pid: number, readings = 5, gapMs = 200): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < readings; i++) {
    if (i > 0) await sleep(gapMs);
    values.push(await rssMiB(pid));
  }
  return median(values.sort((a, b) => a - b));
}

/** The child of `pid` whose command line contains `marker` (the plugin host's entry file). */
export async function childWith(pid: number, marker: string): Promise<number | undefined> {
  let tasks: string[];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const task of tasks) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      const command = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
      if (command.includes(marker)) return child;
    }
  }
  return undefined;
}

/** An idle Node process (the peer a process's memory is read beside); killed by the caller. */
export async function idleNode(execArgv: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...execArgv, '-e', 'setInterval(() => {}, 1 << 30)'], {
    stdio: 'ignore',
  });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  // Long enough for Node (and a loader) to finish starting.
  await sleep(1_000);
  return child;
}
