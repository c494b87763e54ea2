import { canonicalJson, sha256Hex } from './canonical-json';
import { auditLineSchema, type AuditLine } from './audit-entry';
import { splitLines } from './audit-files';

// The hash chain. Each line holds `prev`, the hash of the line before, and
// `hash`, over prev and its own content, so changing, removing, reordering
// or cutting a line breaks the link at that line.

/** The `prev` of the very first entry. */
export const GENESIS_PREV = '0'.repeat(64);

export type AuditBody = Omit<AuditLine, 'hash'>;

export function hashBody(body: AuditBody): string {
  return sha256Hex(body.prev + canonicalJson(body));
}

/** The line to write for `body` (without its newline) and the hash the next line links to. */
export function sealLine(body: AuditBody): { line: string; hash: string } {
  const hash = hashBody(body);
  return { line: canonicalJson({ ...body, hash }), hash };
}

export type AuditVerifyResult =
  | {
      ok: true;
      /** Entries checked. */
      entries: number;
      /** Seq of the oldest entry still on disk, null when the log is empty. */
      firstSeq: number | null;
      /** True when older entries were rotated away: the oldest kept one links to a hash no longer on disk. */
      headMissing: boolean;
    }
  | {
      ok: false;
      file: string;
      /** 1-based line number within `file`. */
      line: number;
      reason: string;
      /** "line 12 of audit.jsonl: hash does not match its content" */
      message: string;
    };

export interface LogFileText {
  name: string;
  text: string;
}

/** Checks every line of `files`, given oldest first, and names the first broken one. */
export function verifyChain(files: LogFileText[]): AuditVerifyResult {
  let last: { seq: number; hash: string } | undefined;
  let firstSeq: number | null = null;
  let headMissing = false;
  let entries = 0;
  for (const { name, text } of files) {
    const lines = splitLines(text);
    for (const [index, raw] of lines.entries()) {
      const cutOff = index === lines.length - 1 && !text.endsWith('\n');
      const result = checkLine(raw, cutOff, last);
      if (typeof result === 'string') {
        return {
          ok: false,
          file: name,
          line: index + 1,
          reason: result,
          message: `line ${index + 1} of ${name}: ${result}`,
        };
      }
      if (!last) {
        firstSeq = result.seq;
        headMissing = result.prev !== GENESIS_PREV;
      }
      last = { seq: result.seq, hash: result.hash };
      entries++;
    }
  }
  return { ok: true, entries, firstSeq, headMissing };
}

/** The parsed line, or why it is broken. */
function checkLine(
  raw: string,
  cutOff: boolean,
  last: { seq: number; hash: string } | undefined,
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
  // Hash over the line as written, not as zod rebuilt it: any extra or changed byte counts.
  const { hash, ...body } = json as AuditLine;
  if (hashBody(body) !== hash) return 'hash does not match its content';
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
  if (line.prev !== last.hash) return 'prev does not match the hash of the entry before it';
  return line;
}

/** Where appending resumes: after the newest line that reads as an entry. */
export function resumePoint(newestFirst: LogFileText[]): { seq: number; prev: string } {
  for (const { text } of newestFirst) {
    const lines = splitLines(text);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = parseLine(lines[i] ?? '');
      if (line) return { seq: line.seq + 1, prev: line.hash };
    }
  }
  return { seq: 0, prev: GENESIS_PREV };
}

export function parseLine(raw: string): AuditLine | null {
  try {
    const parsed = auditLineSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
