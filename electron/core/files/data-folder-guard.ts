import type { FileSystem } from './atomic-file';
import { CustodianError } from '../../../shared/errors';
import { errnoOf } from './fs-errors';

// Notices the data folder, or the agents' socket inside it, being deleted or
// replaced while the core runs: at the next vault write, and on a timer
// within seconds. While the folder is not the one the core started with, the
// vault is not written (its secrets would land somewhere the person never
// chose); the problem is told to the window, the tray and the log, and clears
// itself if the very same folder comes back.

interface Identity {
  dev: number;
  ino: number;
}

export interface DataFolderGuardOptions {
  fs: Pick<FileSystem, 'stat'>;
  folder: string;
  /** Told when the problem appears, changes or clears (undefined). */
  onChange: (problem: string | undefined) => void;
  log?: (message: string) => void;
  /** How often to look without a write (default 3 s); 0 leaves it to writes and check(). */
  everyMs?: number;
}

export class DataFolderGuard {
  private folderId: Identity | undefined;
  private socket: { path: string; id: Identity } | undefined;
  private current: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reason: 'missing' | 'replaced' = 'missing';

  constructor(private readonly options: DataFolderGuardOptions) {}

  /** What is wrong now, or undefined. */
  get problem(): string | undefined {
    return this.current;
  }

  /** Remembers the folder as it is now and starts looking. */
  async start(): Promise<void> {
    this.folderId = await this.identity(this.options.folder);
    const every = this.options.everyMs ?? 3_000;
    if (every > 0 && !this.timer) {
      // A look that fails (a permission fault) is not a crash; the next write says what it is.
      this.timer = setInterval(() => void this.check().catch(() => undefined), every);
      this.timer.unref();
    }
  }

  /** Remembers the socket the core listens on, to notice it being removed or replaced. */
  async watchSocket(path: string): Promise<void> {
    const id = await this.identity(path);
    if (id) this.socket = { path, id };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks now; returns the problem, if any, after telling of a change. */
  async check(): Promise<string | undefined> {
    const problem = (await this.folderProblem()) ?? (await this.socketProblem());
    if (problem !== this.current) {
      this.current = problem;
      this.options.log?.(
        problem ?? `The data folder ${this.options.folder} is back; saving again.`,
      );
      this.options.onChange(problem);
    }
    return problem;
  }

  /** Before a vault write: refuses while the folder is gone or not the one the core started with. */
  async requireIntact(): Promise<void> {
    await this.check();
    const problem = await this.folderProblem();
    if (problem) throw new CustodianError('storage_failed', problem, { reason: this.reason });
  }

  private async folderProblem(): Promise<string | undefined> {
    const expected = this.folderId;
    if (!expected) return undefined;
    const folder = this.options.folder;
    const now = await this.identity(folder);
    if (!now) {
      this.reason = 'missing';
      return `The data folder ${folder} was deleted or moved while Custodian ran; nothing is saved until it is back (or Custodian is restarted).`;
    }
    if (now.dev !== expected.dev || now.ino !== expected.ino) {
      this.reason = 'replaced';
      return `The data folder ${folder} was replaced by another folder while Custodian ran; nothing is saved into it until Custodian is restarted.`;
    }
    return undefined;
  }

  private async socketProblem(): Promise<string | undefined> {
    const socket = this.socket;
    if (!socket) return undefined;
    const now = await this.identity(socket.path);
    if (!now)
      return `The agents' socket ${socket.path} was removed while Custodian ran; agents cannot connect until Custodian is restarted.`;
    if (now.dev !== socket.id.dev || now.ino !== socket.id.ino)
      return `The agents' socket ${socket.path} was replaced while Custodian ran; agents cannot reach Custodian until it is restarted.`;
    return undefined;
  }

  private async identity(path: string): Promise<Identity | undefined> {
    try {
      const { dev, ino } = await this.options.fs.stat(path);
      return { dev, ino };
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return undefined;
      throw error;
    }
  }
}
