import { capCodePoints, stripInvisible } from '../../../shared/display-text';
import { z } from 'zod';
import { AUDIT_DECISIONS, AUDIT_OUTCOMES } from '../../../shared/agent-words';

// What an audit entry may hold. Every field is named here and none can carry
// a secret: the payload (the text to sign, the request line) is only ever
// hashed, and the short texts are cleaned and capped before they are written.

// The words live in shared/ so the window's filters use the same list.
export { AUDIT_DECISIONS, AUDIT_OUTCOMES } from '../../../shared/agent-words';
export type { AuditDecision, AuditOutcome } from '../../../shared/agent-words';

/** Longest text kept per field, in characters (code points). */
export const AUDIT_TEXT_LIMITS = { client: 100, tool: 100, credential: 200, detail: 200 } as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

// Strict: a field the log does not know (a `secret`, say) is refused, not dropped quietly.
export const auditEntryInputSchema = z.strictObject({
  client: z.string(),
  tool: z.string(),
  credential: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  decision: z.enum(AUDIT_DECISIONS).optional(),
  payload: z.unknown(),
  /**
   * sha256 of the payload's canonical JSON, when the caller has worked it out
   * already (a tool call's, which the person approved by it): the log then
   * does not hash the same payload again.
   */
  payloadHash: sha256Hex.optional(),
  detail: z.string().optional(),
  /** A burst of like refusals written as one entry: how many, and the first and last one's time. */
  coalesced: z
    .strictObject({
      count: z.number().int().min(1),
      from: z.iso.datetime(),
      until: z.iso.datetime(),
    })
    .optional(),
});
export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;

/**
 * What the log itself records: a file its retention rule dropped, a file it
 * had to reopen, the start of the keyed chain, entries it could not keep.
 */
export const AUDIT_EVENTS = ['rotated', 'reopened', 'keyed', 'lost'] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** A kept file's place in the chain: its first and last entry, and the last one's link. */
export const auditSpanSchema = z.strictObject({
  firstSeq: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  /** The last entry's hash or MAC: what the next kept entry's prev must be. */
  last: sha256Hex,
});
export type AuditSpan = z.infer<typeof auditSpanSchema>;

/** One line of audit.jsonl as written. */
export const auditLineSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  prev: sha256Hex,
  time: z.iso.datetime(),
  client: z.string(),
  tool: z.string(),
  credential: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  decision: z.enum(AUDIT_DECISIONS).optional(),
  payloadHash: sha256Hex,
  detail: z.string().optional(),
  coalesced: auditEntryInputSchema.shape.coalesced,
  event: z.enum(AUDIT_EVENTS).optional(),
  /** event "rotated": the file dropped and the entries it held. */
  dropped: auditSpanSchema.extend({ file: z.string() }).optional(),
  /** event "keyed": the unkeyed chain this keyed one continues, null when there was none. */
  legacy: auditSpanSchema.nullable().optional(),
  /** Unkeyed chain (before the audit key existed): sha256 over prev and the entry. */
  hash: sha256Hex.optional(),
  /** Keyed chain: HMAC-SHA256 with the vault's audit key over prev and the entry. */
  mac: sha256Hex.optional(),
});
export type AuditLine = z.infer<typeof auditLineSchema>;

/** An entry as the Activity view sees it: the line without its chain links (seq stays, as its id). */
export type AuditRecord = Omit<AuditLine, 'prev' | 'hash' | 'mac' | 'dropped' | 'legacy'>;

/** The link the next entry's prev must hold: the MAC of a keyed entry, the hash of an older one. */
export function linkOf(line: Pick<AuditLine, 'hash' | 'mac'>): string {
  return line.mac ?? line.hash ?? '';
}

/**
 * Strips what could disguise or break the text where the Activity view shows
 * it (line breaks are removed, not spaced) and caps the length; an over-long
 * text ends in "…" within the cap.
 */
export function cleanText(text: string, limit: number): string {
  return capCodePoints(stripInvisible(text), limit);
}
