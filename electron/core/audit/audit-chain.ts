import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, sha256Hex } from './canonical-json';
import { auditLineSchema, linkOf, type AuditLine } from './audit-entry';
import { splitLines } from './audit-files';

// The chain. Each line holds `prev`, the link of the line before, and its own
// link over prev and its content, so changing, removing, reordering or cutting
// a line breaks the chain at that line. Since the audit key exists the link is
// `mac`, an HMAC keyed from the vault: whoever can write the file but not open
// the vault can neither recompute it nor forge a chain from scratch. Logs
// written before the key have `hash` links (plain sha256); they stay readable
// and the first keyed entry continues from their last one.

/** The `prev` of the very first entry. */
export const GENESIS_PREV = '0'.repeat(64);

export type AuditBody = Omit<AuditLine, 'hash' | 'mac'>;

/** Where the chain stands: the last entry's seq and link. */
export interface ChainPoint {
  seq: number;
  link: string;
}

/** What the vault holds for the log (DESIGN: the head anchored in the vault). */
export interface AuditTrust {
  key: Buffer;
  /** The unkeyed chain's last entry when the key was made; null when there was none. */
  legacy: ChainPoint | null;
  /** The newest entry the vault has anchored; null before the first keyed entry. */
  head: ChainPoint | null;
}

export function hashBody(body: AuditBody): string {
  return sha256Hex(body.prev + canonicalJson(body));
}

export function macBody(key: Buffer, body: AuditBody): string {
  return createHmac('sha256', key).update(body.prev).update(canonicalJson(body)).digest('hex');
}

/**
 * The line to write for `body` (without its newline) and the link the next
 * line's prev holds: a MAC with `key`, else (no key: before migration, and
 * the unit tests of the plain chain) a hash.
 */
export function sealLine(body: AuditBody, key?: Buffer): { line: string; link: string } {
  if (key) {
    const mac = macBody(key, body);
    return { line: canonicalJson({ ...body, mac }), link: mac };
  }
  const hash = hashBody(body);
  return { line: canonicalJson({ ...body, hash }), link: hash };
}

export type AuditVerifyResult =
  | {
      ok: true;
      /** Entries checked. */
      entries: number;
      /** Seq of the oldest entry still on disk, null when the log is empty. */
      firstSeq: number | null;
      /**
       * True when older entries are gone. With the audit key this is only
       * ever "rotated away on purpose": an entry of the log names what was
       * dropped; gone without such an entry is a failure.
       */
      headMissing: boolean;
    }
  | {
      ok: false;
      file: string;
      /** 1-based line number within `file`; 0 when the problem is the log as a whole. */
      line: number;
      reason: string;
      /** "line 12 of audit.jsonl: MAC does not match its content" */
      message: string;
    };

export interface LogFileText {
  name: string;
  text: string;
}

type Failure = Extract<AuditVerifyResult, { ok: false }>;

function failure(file: string, line: number, reason: string): Failure {
  const where = line > 0 ? `line ${line} of ${file}` : file;
  return { ok: false, file, line, reason, message: `${where}: ${reason}` };
}

/**
 * Checks every line of `files`, given oldest first, and names the first
 * problem. With `trust` (the vault's key and anchor) it also checks that the
 * start is accounted for and that the anchored head is still there.
 */
export function verifyChain(files: LogFileText[], trust?: AuditTrust): AuditVerifyResult {
  let last: (AuditLine & { file: string; line: number }) | undefined;
  let first: (AuditLine & { file: string; line: number }) | undefined;
  let anchored = false;
  let entries = 0;
  const drops: NonNullable<AuditLine['dropped']>[] = [];
  /** Where the unkeyed chain started when the key was made, as its keyed entry says. */
  let keyedFrom: number | undefined;
  for (const { name, text } of files) {
    const lines = splitLines(text);
    for (const [index, raw] of lines.entries()) {
      const cutOff = index === lines.length - 1 && !text.endsWith('\n');
      const result = checkLine(raw, cutOff, last, trust);
      if (typeof result === 'string') return failure(name, index + 1, result);
      const here = { ...result, file: name, line: index + 1 };
      first ??= here;
      if (trust?.head && result.seq === trust.head.seq) {
        if (linkOf(result) !== trust.head.link) {
          return failure(
            name,
            index + 1,
            'this is not the entry the vault anchored with this seq (the log was rewritten)',
          );
        }
        anchored = true;
      }
      if (result.event === 'rotated' && result.dropped) drops.push(result.dropped);
      if (result.event === 'keyed' && result.mac && result.legacy)
        keyedFrom = result.legacy.firstSeq;
      last = here;
      entries++;
    }
  }
  const headMissing = first !== undefined && first.prev !== GENESIS_PREV;
  if (trust) {
    const problem = checkEnds(first, last, anchored, drops, keyedFrom, trust.head);
    if (problem) return problem;
  }
  return { ok: true, entries, firstSeq: first?.seq ?? null, headMissing };
}

/** With the vault's trust: is the start accounted for, and is the anchored head still there? */
function checkEnds(
  first: (AuditLine & { file: string; line: number }) | undefined,
  last: (AuditLine & { file: string; line: number }) | undefined,
  anchored: boolean,
  drops: NonNullable<AuditLine['dropped']>[],
  keyedFrom: number | undefined,
  head: ChainPoint | null,
): Failure | undefined {
  if (!first || !last) {
    return head
      ? failure(
          'audit.jsonl',
          0,
          `the log is empty or deleted, but the vault anchors entry ${head.seq}`,
        )
      : undefined;
  }
  if (first.prev !== GENESIS_PREV) {
    // Only Custodian's own rotation may remove the oldest entries, and it says so.
    const onPurpose = drops.some((d) => d.lastSeq === first.seq - 1 && d.last === first.prev);
    // An older log may have lost its start to the old rotation before the key: the
    // keyed entry recorded where it started then, and only that start is accepted.
    const beforeKey = first.hash !== undefined && first.seq === keyedFrom;
    if (!onPurpose && !beforeKey) {
      return failure(
        first.file,
        first.line,
        `entries before seq ${first.seq} are missing, and no rotation entry names them (deleted, not rotated away)`,
      );
    }
  }
  if (head && !anchored) {
    if (last.seq < head.seq) {
      return failure(
        last.file,
        0,
        `the log ends at entry ${last.seq}, but the vault anchors entry ${head.seq}: its last entries were cut`,
      );
    }
    return failure(
      first.file,
      0,
      `the entry the vault anchors (seq ${head.seq}) is not among the kept entries`,
    );
  }
  return undefined;
}

/** The parsed line, or why it is broken. */
function checkLine(
  raw: string,
  cutOff: boolean,
  last: AuditLine | undefined,
  trust: AuditTrust | undefined,
): AuditLine | string {
  if (raw === '') return 'empty line';
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return cutOff ? 'cut off: not complete JSON' : 'not valid JSON';
  }
  const parsed = auditLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return `not an audit entry (${where}${issue?.message ?? 'invalid'})`;
  }
  const line = parsed.data;
  // Linked over the line as written, not as zod rebuilt it: any extra or changed byte counts.
  const { hash, mac, ...body } = json as AuditLine;
  if ((hash === undefined) === (mac === undefined)) {
    return 'not an audit entry (needs exactly one of hash and mac)';
  }
  if (mac !== undefined) {
    if (!trust) return 'a keyed entry, and the audit key is not available to check it';
    if (!sameHex(macBody(trust.key, body), mac)) {
      return 'MAC does not match its content (edited, or written without the audit key)';
    }
  } else {
    if (hashBody(body) !== hash) return 'hash does not match its content';
    if (trust) {
      const legacy = trust.legacy;
      if (!legacy || line.seq > legacy.seq || last?.mac !== undefined) {
        return 'an unkeyed entry where the log is keyed (forged or rewritten without the audit key)';
      }
      if (line.seq === legacy.seq && hash !== legacy.link) {
        return 'not the unkeyed entry the vault recorded when the log was keyed';
      }
    }
  }
  if (!last) {
    if (line.prev === GENESIS_PREV && line.seq !== 0) {
      return `the first entry has seq ${line.seq}, expected 0`;
    }
    if (line.prev !== GENESIS_PREV && line.seq === 0) {
      return 'the entry with seq 0 must link to the start of the chain';
    }
    return line;
  }
  if (line.seq !== last.seq + 1) {
    return `seq ${line.seq} where ${last.seq + 1} was expected (an entry is missing or out of order)`;
  }
  if (line.prev !== linkOf(last)) {
    return `prev does not match the ${last.mac ? 'MAC' : 'hash'} of the entry before it`;
  }
  return line;
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Where appending resumes: after the newest line that reads as an entry. */
export function resumePoint(newestFirst: LogFileText[]): { seq: number; prev: string } {
  for (const { text } of newestFirst) {
    const lines = splitLines(text);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = parseLine(lines[i] ?? '');
      if (line) return { seq: line.seq + 1, prev: linkOf(line) };
    }
  }
  return { seq: 0, prev: GENESIS_PREV };
}

export function parseLine(raw: string): AuditLine | null {
  try {
    const parsed = auditLineSchema.safeParse(JSON.parse(raw));
    return parsed.success && (parsed.data.hash ?? parsed.data.mac) ? parsed.data : null;
  } catch {
    return null;
  }
}
