import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CustodianError } from '../../../shared/errors';
import { syncFolder } from '../files/atomic-file';
import { describeFsError, isFsFault } from '../files/fs-errors';
import { makeFolder } from '../files/make-folder';
import { canonicalJson, sha256Hex } from './canonical-json';
import {
  AUDIT_TEXT_LIMITS,
  auditEntryInputSchema,
  cleanText,
  linkOf,
  type AuditEntryInput,
  type AuditEvent,
  type AuditLine,
  type AuditRecord,
} from './audit-entry';
import {
  parseLine,
  resumePoint,
  sealLine,
  verifyChain,
  type AuditBody,
  type AuditTrust,
  type AuditVerifyResult,
  type ChainPoint,
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
import { DEFAULT_RETENTION, dropExpired } from './audit-retention';
import type { AuditKeyring } from './audit-keyring';
import { auditQuerySchema, matchesQuery, toRecord, type AuditQuery } from './audit-query';
import { auditListSchema, type AuditList } from '../../../shared/agents';
import { Sequencer } from '../../../shared/base/sequencer';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** See requestAnchor: one vault save for the head per second at most while calls keep coming. */
export const DEFAULT_ANCHOR_GAP_MS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Who the log's own entries (rotation, reopening, keying) name as their client and tool. */
export const AUDIT_SELF = { client: 'custodian', tool: 'audit log' } as const;
/** What a failed append means, in its message. */
const NOT_RECORDED = 'the audit entry was not written';
/** Entries kept in memory while the vault is locked, to be written at the next unlock. */
const MAX_HELD = 10_000;
/**
 * audit.jsonl is opened for appending with O_DSYNC where the platform has it:
 * each write returns once its bytes (and the size that reaches them) are on
 * disk, so a batch costs one write and no separate fsync, one trip through
 * the thread pool instead of two. Windows has no such flag in Node: there
 * each batch's write is followed by an fsync, as before.
 */
const SYNCED_APPEND =
  constants.O_DSYNC === undefined
    ? undefined
    : constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY | constants.O_DSYNC;

export interface AuditLogOptions {
  /** The log's own folder; created 0700. */
  folder: string;
  fs: AuditFileSystem;
  /** Source of each entry's time. */
  now?: () => Date;
  /** audit.jsonl is rotated before a line would take it past this size. */
  maxFileBytes?: number;
  /** Rotated files are kept until newer files hold at least this many bytes (default 50 MB)… */
  retainBytes?: number;
  /** …and their newest entry is older than this many days (default 30). */
  retainDays?: number;
  /**
   * The vault's side: the audit key and the anchored head. Without it the
   * chain is the older unkeyed one (hash links), as written before the key.
   */
  keyring?: AuditKeyring;
  /**
   * Runs over `detail` before it is cleaned and capped: the place to withhold
   * stored secret values from an error text that might echo one.
   */
  redact?: (text: string) => string;
  /** Least time between two anchorings of the head in the vault while entries keep coming (default 1 s). */
  anchorGapMs?: number;
}

/** An append waiting for its batch to be written. */
interface PendingAppend {
  entry: AuditEntryInput;
  /** Fields of the log's own entries, which callers cannot set. */
  own?: OwnFields & { event: AuditEvent };
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

interface OpenState {
  handle: FileHandle;
  /** Which file the handle holds, to notice it being replaced or deleted under us. */
  dev: number;
  ino: number;
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
  private readonly retention: { retainBytes: number; retainMs: number };
  private readonly redact: (text: string) => string;
  private readonly keyring: AuditKeyring | undefined;
  /** The key and anchor while the vault is open; null while it is locked. */
  private trust: AuditTrust | null = null;
  /** Anchoring the head in the vault, off the append's path; verify and lock wait for it. */
  private anchoring: Promise<void> = Promise.resolve();
  private anchorWanted = false;
  private wantedHead: ChainPoint | undefined;
  private anchorTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last anchoring ended (performance.now()); -Infinity before the first. */
  private lastAnchorAt = -Infinity;
  private readonly anchorGapMs: number;
  /** Entries that arrived while the vault was locked (a call that was running at lock). */
  private held: PendingAppend[] = [];
  private heldDropped = 0;
  private state: OpenState | undefined;
  private readonly queue = new Sequencer();
  /** Appends gathered while the queue is busy, written together by one task. */
  private gathering: PendingAppend[] | undefined;

  constructor(options: AuditLogOptions) {
    this.folder = options.folder;
    this.fs = options.fs;
    this.now = options.now ?? (() => new Date());
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.retention = {
      retainBytes: options.retainBytes ?? DEFAULT_RETENTION.retainBytes,
      retainMs:
        options.retainDays !== undefined ? options.retainDays * DAY_MS : DEFAULT_RETENTION.retainMs,
    };
    this.redact = options.redact ?? ((text) => text);
    this.keyring = options.keyring;
    this.anchorGapMs = options.anchorGapMs ?? DEFAULT_ANCHOR_GAP_MS;
    if (!(this.maxFileBytes > 0)) throw new RangeError('maxFileBytes must be positive.');
    if (!(this.retention.retainBytes >= 0) || !(this.retention.retainMs >= 0)) {
      throw new RangeError('retainBytes and retainDays must not be negative.');
    }
  }

  /**
   * The vault opened: takes the audit key and anchor from it, making them on
   * the first unlock of a vault that has none. An older log's unkeyed chain
   * is continued, not rewritten: the first keyed entry records its last
   * entry, and so does the vault, so it cannot be swapped later.
   */
  unlocked(): Promise<void> {
    const keyring = this.keyring;
    if (!keyring) return Promise.resolve();
    return this.enqueue(async () => {
      const stored = keyring.load();
      if (stored) {
        // Told again on a repeated unlock: the copy held so far is wiped, not just dropped.
        this.trust?.key.fill(0);
        this.trust = stored;
        await this.keepPastAnchor(stored).catch((error: unknown) => {
          // The disk refuses the log (read-only, no permission, full): the vault still
          // opens to be read, and each append tries again and fails closed in the disk's words.
          if (!isFsFault(error)) throw error;
        });
      } else {
        const lines = await this.allLines();
        const newest = lines.at(-1);
        const legacy = newest ? { seq: newest.seq, link: linkOf(newest) } : null;
        const made: AuditTrust = { key: randomBytes(32), legacy, head: null };
        await keyring.save(made);
        this.trust = made;
        if (newest) {
          const oldest = lines[0] ?? newest;
          await this.writeBatch([
            this.ownEntry('keyed', 'the log is keyed from here on; older entries are unkeyed', {
              legacy: { firstSeq: oldest.seq, lastSeq: newest.seq, last: linkOf(newest) },
            }),
          ]);
        }
      }
      const held = this.held;
      this.held = [];
      if (this.heldDropped > 0) {
        held.push(
          this.ownEntry(
            'lost',
            `${this.heldDropped} entries made while the vault was locked could not be kept`,
          ),
        );
        this.heldDropped = 0;
      }
      if (held.length > 0) await this.writeBatch(held);
    });
  }

  /**
   * The file ends before the entry the vault anchored: it was cut while the
   * core was not running. Appending from the file's end would reuse those
   * seqs and move the anchor over the evidence, so the chain continues from
   * the anchor instead, after an entry that says what is missing; the check
   * keeps reporting the break.
   */
  private async keepPastAnchor(trust: AuditTrust): Promise<void> {
    const head = trust.head;
    const state = this.state ?? (await this.open());
    if (!head || state.seq > head.seq) return;
    const missing = `entries ${state.seq}–${head.seq}`;
    state.seq = head.seq + 1;
    state.prev = head.link;
    await this.writeBatch([
      this.ownEntry(
        'lost',
        `${missing} were missing when the log was opened: it was cut while Custodian was not running`,
      ),
    ]);
  }

  /** The vault is about to lock: everything queued is written, the head anchored, the key forgotten. */
  locking(): Promise<void> {
    if (!this.keyring) return Promise.resolve();
    return this.enqueue(async () => {
      await this.anchorNow();
      this.trust?.key.fill(0);
      this.trust = null;
    });
  }

  /**
   * Writes one entry, durably, and returns it as the Activity view will show
   * it. Entries that arrive while an earlier write is syncing are written
   * together and synced once (a group commit): each still resolves only once
   * it is on disk, and 200 calls at once cost a few syncs, not 200.
   */
  append(entry: AuditEntryInput): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      if (this.keyring && !this.trust) {
        reject(lockedError());
        return;
      }
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

  /**
   * Like append, but while the vault is locked the entry waits in memory for
   * the next unlock instead of failing: the outcome of a call that was still
   * running when the vault locked is not lost.
   */
  async appendOrHold(entry: AuditEntryInput): Promise<void> {
    if (this.keyring && !this.trust) {
      if (this.held.length < MAX_HELD) this.held.push(pendingOf(entry));
      else this.heldDropped++;
      return;
    }
    await this.append(entry);
  }

  /** Checks every kept file, oldest first, and names the first problem. */
  verify(): Promise<AuditVerifyResult> {
    return this.enqueue(async () => {
      if (this.keyring && !this.trust) throw lockedError();
      await this.anchorNow();
      const trust = this.trust ?? undefined;
      return verifyChain(await this.readFiles(), trust);
    });
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

  /** Matching entries oldest first, `max` at a time after `after`; `next` continues. */
  list(filter: AuditList): Promise<{ entries: AuditRecord[]; next: number | null }> {
    const parsed = auditListSchema.parse(filter);
    return this.enqueue(async () => {
      const entries: AuditRecord[] = [];
      let more = false;
      for (const file of await this.readFiles()) {
        for (const raw of splitLines(file.text)) {
          const line = parseLine(raw);
          if (!line || (parsed.after !== undefined && line.seq <= parsed.after)) continue;
          if (!matchesQuery(line, parsed)) continue;
          if (entries.length === parsed.max) {
            more = true;
            break;
          }
          entries.push(toRecord(line));
        }
        if (more) break;
      }
      return { entries, next: more ? (entries.at(-1)?.seq ?? null) : null };
    });
  }

  /** Releases the open file; a later append opens it again. */
  close(): Promise<void> {
    return this.enqueue(async () => {
      await this.anchorNow();
      await this.release();
    });
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
      // One write for the whole batch: every line of it, each complete.
      await writeAll(state.handle, data.length === 1 ? (data[0] as Buffer) : Buffer.concat(data));
      if (SYNCED_APPEND === undefined) await state.handle.sync();
      state.size += unsynced;
      for (const { pending, record } of waiting) settle(pending, () => pending.resolve(record));
      data = [];
      unsynced = 0;
      waiting = [];
      this.requestAnchor();
    };
    let state: OpenState | undefined;
    try {
      state = this.state ?? (await this.open());
      const work = [...batch];
      // Replaced or deleted under us: the new file is used, and its first entry says why.
      const moved = await this.reopenIfMoved(state);
      if (moved) work.unshift(this.ownEntry('reopened', moved));
      for (let pending = work.shift(); pending; pending = work.shift()) {
        const parsed = auditEntryInputSchema.safeParse(pending.entry);
        if (!parsed.success) {
          const error = parsed.error;
          settle(pending, () => pending.reject(error));
          continue;
        }
        const body: AuditBody = { ...this.bodyOf(parsed.data, state), ...pending.own };
        const { line, link } = sealLine(body, this.trust?.key);
        let bytes = Buffer.from(`${line}\n`, 'utf8');
        if (state.size + unsynced > 0 && state.size + unsynced + bytes.length > this.maxFileBytes) {
          await flush(state);
          // What retention dropped is named first, in the new file; then this entry again.
          work.unshift(...(await this.rotate(state)), pending);
          continue;
        }
        if (state.needsNewline) bytes = Buffer.concat([Buffer.from('\n'), bytes]);
        state.needsNewline = false;
        state.seq += 1;
        state.prev = link;
        data.push(bytes);
        unsynced += bytes.length;
        waiting.push({ pending, record: toRecord(body) });
      }
      await flush(state);
    } catch (error) {
      // A write that failed part-way (a full disk) may have left part of a line:
      // the file is cut back to its last synced end, so no half entry stays.
      await state?.handle.truncate(state.size).catch(() => undefined);
      // After a failed write the file's end is unknown: read it again next time.
      await this.release();
      const worded = describeFsError(error, join(this.folder, CURRENT_FILE), NOT_RECORDED);
      for (const pending of batch) if (!settled.has(pending)) pending.reject(worded);
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
      payloadHash: input.payloadHash ?? sha256Hex(canonicalJson(input.payload)),
      ...(input.detail !== undefined
        ? { detail: cleanText(this.redact(input.detail), AUDIT_TEXT_LIMITS.detail) }
        : {}),
      ...(input.coalesced ? { coalesced: input.coalesced } : {}),
    };
  }

  /** An entry the log writes about itself. */
  private ownEntry(event: AuditEvent, detail: string, own: OwnFields = {}): PendingAppend {
    return pendingOf(
      {
        ...AUDIT_SELF,
        credential: null,
        outcome: 'succeeded',
        payload: { event, ...own },
        detail,
      },
      { event, ...own },
    );
  }

  /**
   * Anchors the newest entry in the vault, one save at a time, the latest head
   * winning. A save of the vault is several fsyncs, so while entries keep
   * coming it is made at most once every anchorGapMs (the first entry after a
   * quiet spell is anchored at once); verify, lock and close anchor whatever
   * waits first, so what they see and leave behind is the head in memory. The
   * entries themselves are on disk before their calls answer either way: only
   * a cut made within that gap of a crash goes unnoticed at the next start.
   */
  private requestAnchor(now = false): void {
    const { keyring, trust, state } = this;
    if (!keyring || !trust || !state || state.seq === 0) return;
    const head = { seq: state.seq - 1, link: state.prev };
    if (trust.head?.seq === head.seq && trust.head.link === head.link) return;
    this.wantedHead = head;
    if (this.anchorWanted) return;
    const wait = now ? 0 : this.lastAnchorAt + this.anchorGapMs - performance.now();
    if (wait > 0) {
      if (!this.anchorTimer) {
        this.anchorTimer = setTimeout(() => {
          this.anchorTimer = undefined;
          this.requestAnchor(true);
        }, wait);
        this.anchorTimer.unref?.();
      }
      return;
    }
    if (this.anchorTimer) clearTimeout(this.anchorTimer);
    this.anchorTimer = undefined;
    this.anchorWanted = true;
    this.anchoring = (async () => {
      for (let next = this.wantedHead; next; next = this.wantedHead) {
        this.wantedHead = undefined;
        try {
          await keyring.anchor(next);
          trust.head = next;
        } catch {
          // The vault locked or failed to save: the check then sees entries past the
          // anchor, which it allows; the next save anchors them.
        }
      }
      this.lastAnchorAt = performance.now();
      this.anchorWanted = false;
    })();
  }

  /** Anchors the head now if it waits for its gap, and resolves once no anchoring is under way. */
  private async anchorNow(): Promise<void> {
    this.requestAnchor(true);
    await this.anchoring;
  }

  private async open(): Promise<OpenState> {
    await makeFolder(this.fs, this.folder);
    // mkdir leaves an existing folder's mode alone; the log is ours, so tighten it.
    await this.fs.chmod(this.folder, 0o700);
    const files = await this.readFiles();
    const resume = resumePoint([...files].reverse());
    const current = files.find((file) => file.name === CURRENT_FILE)?.text ?? '';
    const handle = await this.openCurrent();
    const stats = await handle.stat();
    this.state = {
      handle,
      dev: stats.dev,
      ino: stats.ino,
      ...resume,
      // The size on disk, not of the decoded text, which may differ after damage.
      size: stats.size,
      needsNewline: current !== '' && !current.endsWith('\n'),
    };
    return this.state;
  }

  /** Why the open handle no longer is audit.jsonl, after switching to the file now there; null when it still is. */
  private async reopenIfMoved(state: OpenState): Promise<string | null> {
    const path = join(this.folder, CURRENT_FILE);
    let onDisk: { dev: number; ino: number } | null;
    try {
      onDisk = await this.fs.stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      onDisk = null;
    }
    if (onDisk && onDisk.dev === state.dev && onDisk.ino === state.ino) return null;
    await state.handle.close().catch(() => undefined);
    state.handle = await this.openCurrent();
    const stats = await state.handle.stat();
    state.dev = stats.dev;
    state.ino = stats.ino;
    state.size = stats.size;
    const text = (await readTextIfExists(this.fs, path)) ?? '';
    state.needsNewline = text !== '' && !text.endsWith('\n');
    return onDisk
      ? `${CURRENT_FILE} was replaced by another file while Custodian ran; the new file was opened`
      : `${CURRENT_FILE} was deleted while Custodian ran; a new one was started`;
  }

  private async openCurrent(): Promise<FileHandle> {
    const path = join(this.folder, CURRENT_FILE);
    // Appending: every write lands at the end, whatever else holds the file.
    const handle = await this.fs.open(path, SYNCED_APPEND ?? 'a', 0o600);
    try {
      await handle.chmod(0o600);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle;
  }

  /** Rotates, drops what retention lets go, and returns the entries naming each dropped file. */
  private async rotate(state: OpenState): Promise<PendingAppend[]> {
    await state.handle.close();
    await rotate(this.fs, this.folder);
    const dropped = await dropExpired(this.fs, this.folder, this.now().getTime(), this.retention);
    state.handle = await this.openCurrent();
    const stats = await state.handle.stat();
    state.dev = stats.dev;
    state.ino = stats.ino;
    await syncFolder(this.fs, this.folder);
    state.size = 0;
    state.needsNewline = false;
    return dropped.map((span) =>
      this.ownEntry(
        'rotated',
        `${span.file} (entries ${span.firstSeq}–${span.lastSeq}) was dropped: older than the retention period`,
        { dropped: span },
      ),
    );
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

  /** Every line that reads as an entry, oldest first. */
  private async allLines(): Promise<AuditLine[]> {
    return (await this.readFiles())
      .flatMap((file) => splitLines(file.text).map(parseLine))
      .filter((line): line is AuditLine => line !== null);
  }
}

/** The fields only the log's own entries carry. */
type OwnFields = Pick<AuditLine, 'dropped' | 'legacy'>;

/** Writes all of `bytes`; a regular file takes them in one write, a short write continues. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done);
    done += bytesWritten;
  }
}

function pendingOf(entry: AuditEntryInput, own?: OwnFields & { event: AuditEvent }): PendingAppend {
  // The log's own entries and held ones are answered to nobody.
  return { entry, ...(own ? { own } : {}), resolve: () => undefined, reject: () => undefined };
}

function lockedError(): CustodianError {
  return new CustodianError(
    'vault_locked',
    'The audit log is keyed from the vault, which is locked. Unlock Custodian first.',
  );
}
