import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { syncFolder } from '../files/atomic-file';
import { canonicalJson, sha256Hex } from './canonical-json';
import {
  AUDIT_TEXT_LIMITS,
  auditEntryInputSchema,
  cleanText,
  type AuditEntryInput,
  type AuditRecord,
} from './audit-entry';
import {
  parseLine,
  resumePoint,
  sealLine,
  verifyChain,
  type AuditBody,
  type AuditVerifyResult,
  type LogFileText,
} from './audit-chain';
import {
  CURRENT_FILE,
  listLogFiles,
  readTextIfExists,
  rotate,
  splitLines,
  type AuditFileSystem,
} from './audit-files';
import { auditQuerySchema, matchesQuery, toRecord, type AuditQuery } from './audit-query';
import { Sequencer } from '../../../shared/base/sequencer';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_KEEP_ROTATED = 5;

export interface AuditLogOptions {
  /** The log's own folder; created 0700. */
  folder: string;
  fs: AuditFileSystem;
  /** Source of each entry's time. */
  now?: () => Date;
  /** audit.jsonl is rotated before a line would take it past this size. */
  maxFileBytes?: number;
  /** Rotated files kept beside audit.jsonl (audit.1.jsonl … audit.N.jsonl). */
  keepRotated?: number;
  /**
   * Runs over `detail` before it is cleaned and capped: the place to withhold
   * stored secret values from an error text that might echo one.
   */
  redact?: (text: string) => string;
}

/** An append waiting for its batch to be written. */
interface PendingAppend {
  entry: AuditEntryInput;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

interface OpenState {
  handle: FileHandle;
  seq: number;
  prev: string;
  size: number;
  /** A crash cut the last line short: the next line must start on a line of its own. */
  needsNewline: boolean;
}

/**
 * The append-only, hash-chained record of every tool call and decision.
 * One writer per folder: appends, checks and queries run one after another
 * in a single queue, so the chain is never forked and readers never see a
 * half-written line or a rotation in progress.
 */
export class AuditLog {
  private readonly folder: string;
  private readonly fs: AuditFileSystem;
  private readonly now: () => Date;
  private readonly maxFileBytes: number;
  private readonly keepRotated: number;
  private readonly redact: (text: string) => string;
  private state: OpenState | undefined;
  private readonly queue = new Sequencer();
  /** Appends gathered while the queue is busy, written together by one task. */
  private gathering: PendingAppend[] | undefined;

  constructor(options: AuditLogOptions) {
    this.folder = options.folder;
    this.fs = options.fs;
    this.now = options.now ?? (() => new Date());
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.keepRotated = options.keepRotated ?? DEFAULT_KEEP_ROTATED;
    this.redact = options.redact ?? ((text) => text);
    if (!(this.maxFileBytes > 0)) throw new RangeError('maxFileBytes must be positive.');
    if (!Number.isInteger(this.keepRotated) || this.keepRotated < 1) {
      throw new RangeError('keepRotated must be a whole number of at least 1.');
    }
  }

  /**
   * Writes one entry, durably, and returns it as the Activity view will show
   * it. Entries that arrive while an earlier write is syncing are written
   * together and synced once (a group commit): each still resolves only once
   * it is on disk, and 200 calls at once cost a few syncs, not 200.
   */
  append(entry: AuditEntryInput): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      if (this.gathering) {
        this.gathering.push({ entry, resolve, reject });
        return;
      }
      const batch: PendingAppend[] = [{ entry, resolve, reject }];
      this.gathering = batch;
      void this.enqueue(async () => {
        this.gathering = undefined;
        await this.writeBatch(batch);
      });
    });
  }

  /** Checks every kept file, oldest first, and names the first broken line. */
  verify(): Promise<AuditVerifyResult> {
    return this.enqueue(async () => verifyChain(await this.readFiles()));
  }

  /** Entries matching `filter`, newest first. Lines that do not read as entries are skipped; verify() reports them. */
  async query(filter: AuditQuery = {}): Promise<AuditRecord[]> {
    const parsed = auditQuerySchema.parse(filter);
    return this.enqueue(async () => {
      const found: AuditRecord[] = [];
      for (const file of (await this.readFiles()).reverse()) {
        const lines = splitLines(file.text);
        for (let i = lines.length - 1; i >= 0 && found.length < parsed.limit; i--) {
          const line = parseLine(lines[i] ?? '');
          if (line && matchesQuery(line, parsed)) found.push(toRecord(line));
        }
      }
      return found;
    });
  }

  /** Releases the open file; a later append opens it again. */
  close(): Promise<void> {
    return this.enqueue(() => this.release());
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.queue(task);
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const settled = new Set<PendingAppend>();
    const settle = (pending: PendingAppend, outcome: () => void) => {
      settled.add(pending);
      outcome();
    };
    // Lines sealed but not yet on disk, and the appends they answer.
    let data: Buffer[] = [];
    let unsynced = 0;
    let waiting: { pending: PendingAppend; record: AuditRecord }[] = [];
    const flush = async (state: OpenState) => {
      if (data.length === 0) return;
      await state.handle.appendFile(Buffer.concat(data, unsynced));
      await state.handle.sync();
      state.size += unsynced;
      for (const { pending, record } of waiting) settle(pending, () => pending.resolve(record));
      data = [];
      unsynced = 0;
      waiting = [];
    };
    try {
      const state = this.state ?? (await this.open());
      for (const pending of batch) {
        const parsed = auditEntryInputSchema.safeParse(pending.entry);
        if (!parsed.success) {
          settle(pending, () => pending.reject(parsed.error));
          continue;
        }
        const body = this.bodyOf(parsed.data, state);
        const { line, hash } = sealLine(body);
        let bytes = Buffer.from(`${line}\n`, 'utf8');
        if (state.size + unsynced > 0 && state.size + unsynced + bytes.length > this.maxFileBytes) {
          await flush(state);
          await this.rotate(state);
        } else if (state.needsNewline) {
          bytes = Buffer.concat([Buffer.from('\n'), bytes]);
        }
        state.needsNewline = false;
        state.seq += 1;
        state.prev = hash;
        data.push(bytes);
        unsynced += bytes.length;
        waiting.push({ pending, record: toRecord({ ...body, hash }) });
      }
      await flush(state);
    } catch (error) {
      // After a failed write the file's end is unknown: read it again next time.
      await this.release();
      for (const pending of batch) if (!settled.has(pending)) pending.reject(error);
    }
  }

  private bodyOf(input: AuditEntryInput, state: OpenState): AuditBody {
    return {
      seq: state.seq,
      prev: state.prev,
      time: this.now().toISOString(),
      client: cleanText(input.client, AUDIT_TEXT_LIMITS.client),
      tool: cleanText(input.tool, AUDIT_TEXT_LIMITS.tool),
      credential:
        input.credential === null
          ? null
          : cleanText(input.credential, AUDIT_TEXT_LIMITS.credential),
      outcome: input.outcome,
      ...(input.decision ? { decision: input.decision } : {}),
      payloadHash: sha256Hex(canonicalJson(input.payload)),
      ...(input.detail !== undefined
        ? { detail: cleanText(this.redact(input.detail), AUDIT_TEXT_LIMITS.detail) }
        : {}),
    };
  }

  private async open(): Promise<OpenState> {
    await this.fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing folder's mode alone; the log is ours, so tighten it.
    await this.fs.chmod(this.folder, 0o700);
    const files = await this.readFiles();
    const resume = resumePoint([...files].reverse());
    const current = files.find((file) => file.name === CURRENT_FILE)?.text ?? '';
    const handle = await this.openCurrent();
    this.state = {
      handle,
      ...resume,
      // The size on disk, not of the decoded text, which may differ after damage.
      size: (await handle.stat()).size,
      needsNewline: current !== '' && !current.endsWith('\n'),
    };
    return this.state;
  }

  private async openCurrent(): Promise<FileHandle> {
    const path = join(this.folder, CURRENT_FILE);
    // 'a': every write lands at the end, whatever else holds the file.
    const handle = await this.fs.open(path, 'a', 0o600);
    try {
      await handle.chmod(0o600);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle;
  }

  private async rotate(state: OpenState): Promise<void> {
    await state.handle.close();
    await rotate(this.fs, this.folder, this.keepRotated);
    state.handle = await this.openCurrent();
    await syncFolder(this.fs, this.folder);
    state.size = 0;
    state.needsNewline = false;
  }

  private async release(): Promise<void> {
    const state = this.state;
    this.state = undefined;
    await state?.handle.close().catch(() => undefined);
  }

  private async readFiles(): Promise<LogFileText[]> {
    const files: LogFileText[] = [];
    for (const name of await listLogFiles(this.fs, this.folder)) {
      const text = await readTextIfExists(this.fs, join(this.folder, name));
      if (text !== null) files.push({ name, text });
    }
    return files;
  }
}
