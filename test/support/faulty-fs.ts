import type { FileHandle } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import type { PluginFs } from '../../electron/core/plugins/plugin-folder';

// The core's own file-system port (Node's fs/promises), with errors injected
// where a rule says: the way to give a real core a disk that fails with EIO on
// fsync, ENOSPC half-way through a write, or EROFS on a rename, on machines
// where no small or broken file system can be mounted. Nothing else is faked:
// every operation no rule matches is the real one.

/** What a rule can fail; `write` covers a handle's write, writeFile and appendFile, `sync` its fsync. */
export type FaultOp =
  | 'open'
  | 'write'
  | 'sync'
  | 'rename'
  | 'mkdir'
  | 'copyFile'
  | 'link'
  | 'unlink'
  | 'chmod'
  | 'rm'
  | 'readFile'
  | 'stat'
  | 'readdir';

export interface FaultRule {
  op: FaultOp;
  /** The errno code thrown: ENOSPC, EDQUOT, EIO, EROFS, EACCES… */
  code: string;
  /** Which paths fail (all by default). */
  where?: (path: string) => boolean;
  /** How many times it fails before it stops (for ever by default). */
  times?: number;
  /** How many matching operations pass before the first failure (none by default). */
  skip?: number;
}

/** The error Node would throw, with its code, syscall and path. */
export function errnoError(code: string, op: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${op} '${path}'`), {
    code,
    syscall: op,
    path,
  });
}

export class FaultyFs {
  private rules: FaultRule[] = [];
  /** Every operation a rule failed, in order: what, where, with which code. */
  readonly failures: { op: FaultOp; path: string; code: string }[] = [];
  readonly port: PluginFs;

  constructor() {
    const check = (op: FaultOp, path: unknown) => this.check(op, String(path));
    const wrap =
      <A extends unknown[], R>(op: FaultOp, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        check(op, args[0]);
        return fn(...args);
      };
    this.port = {
      open: (async (path: nodeFs.FileHandle | string, ...rest: unknown[]) => {
        check('open', path);
        const handle = await (nodeFs.open as (...a: unknown[]) => Promise<FileHandle>)(
          path,
          ...rest,
        );
        return this.handle(handle, String(path));
      }) as typeof nodeFs.open,
      readFile: wrap('readFile', nodeFs.readFile) as typeof nodeFs.readFile,
      rename: wrap('rename', nodeFs.rename),
      unlink: wrap('unlink', nodeFs.unlink),
      readdir: wrap('readdir', nodeFs.readdir) as typeof nodeFs.readdir,
      mkdir: wrap('mkdir', nodeFs.mkdir) as typeof nodeFs.mkdir,
      copyFile: wrap('copyFile', nodeFs.copyFile),
      stat: wrap('stat', nodeFs.stat) as typeof nodeFs.stat,
      chmod: wrap('chmod', nodeFs.chmod),
      link: wrap('link', nodeFs.link),
      rm: wrap('rm', nodeFs.rm),
      cp: nodeFs.cp,
    };
  }

  /** Adds a rule; later operations matching it fail. */
  inject(rule: FaultRule): this {
    this.rules.push({ ...rule });
    return this;
  }

  /** The cause is gone: every operation is the real one again. */
  clear(): void {
    this.rules = [];
  }

  private check(op: FaultOp, path: string): void {
    const rule = this.rules.find(
      (r) => r.op === op && (r.where?.(path) ?? true) && (r.times ?? 1) > 0,
    );
    if (!rule) return;
    if (rule.skip) {
      rule.skip -= 1;
      return;
    }
    if (rule.times !== undefined) rule.times -= 1;
    this.failures.push({ op, path, code: rule.code });
    throw errnoError(rule.code, op, path);
  }

  /** A real handle whose writes and syncs pass the rules; a failing write lands half its bytes first, as a full disk does. */
  private handle(handle: FileHandle, path: string): FileHandle {
    const halfThenFail = async (data: unknown, write: (d: Buffer) => Promise<unknown>) => {
      try {
        this.check('write', path);
      } catch (error) {
        const bytes = Buffer.isBuffer(data) ? data : Buffer.from(String(data));
        await write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        throw error;
      }
    };
    return new Proxy(handle, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const method = (value as (...a: unknown[]) => unknown).bind(target);
        if (key === 'sync' || key === 'datasync')
          return async () => {
            this.check('sync', path);
            return method();
          };
        if (key === 'writeFile' || key === 'appendFile')
          return async (data: unknown, ...rest: unknown[]) => {
            await halfThenFail(data, (d) => target.write(d));
            return method(data, ...rest);
          };
        if (key === 'write')
          return async (data: unknown, ...rest: unknown[]) => {
            await halfThenFail(data, (d) => target.write(d));
            return method(data, ...rest);
          };
        return method;
      },
    });
  }
}
