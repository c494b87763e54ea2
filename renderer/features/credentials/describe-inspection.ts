import { formatDate } from './format-date';

// What a plugin's on_save check returned (any JSON), turned into rows a person
// can read: humanised keys, dates in their own time, Yes/No, lists. Pure, so
// the rules are tested without a page; InspectionView only draws the result.

export type InspectionValue =
  /** `dateTime` is the ISO original when `text` is a formatted date; `code` marks hex digests. */
  | { kind: 'text'; text: string; dateTime?: string; code?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'rows'; rows: InspectionRow[] }
  | { kind: 'groups'; groups: { heading: string; rows: InspectionRow[] }[] };

export interface InspectionRow {
  label: string;
  value: InspectionValue;
}

export interface DescribeOptions {
  /** How an ISO timestamp is shown; the list's local date and time by default. */
  formatDate?: (iso: string) => string;
}

const NOTHING = '—';
/** Deeper than this, a value is shown as compact JSON rather than nested lists. */
const MAX_DEPTH = 4;
/** A timestamp (date and time); a bare date is already readable as it is. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Fingerprints and key IDs: long hex, shown in monospace. */
const HEX_DIGEST = /^(0x)?[0-9A-Fa-f]{16,}$/;
/** Words written in capitals; plurals keep a small "s" (User IDs). */
const ACRONYMS = new Map(
  [
    ...['id', 'uid', 'url', 'uri', 'api', 'pgp', 'gpg', 'ssh', 'rsa', 'dsa', 'ecdsa', 'ecdh'],
    ...['eddsa', 'sha', 'aes', 'oid', 'http', 'https', 'json', 'utc', 'dns', 'ip', 'tls', 'ssl'],
  ].flatMap((word) => [
    [word, word.toUpperCase()] as const,
    [`${word}s`, `${word.toUpperCase()}s`] as const,
  ]),
);

/** `user_ids` → "User IDs", `keyId` → "Key ID", `sha256_digest` → "SHA256 digest". */
export function humaniseKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((word) => {
      // sha256, aes128: the acronym keeps its number.
      const [, letters = '', digits = ''] = /^(.*?)(\d*)$/.exec(word.toLowerCase()) ?? [];
      const acronym = ACRONYMS.get(letters);
      return acronym ? acronym + digits : word.toLowerCase();
    });
  if (words.length === 0) return key;
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** The rows of an inspection: an object's properties, or one "Result" row for anything else. */
export function describeInspection(data: unknown, options: DescribeOptions = {}): InspectionRow[] {
  const format = options.formatDate ?? formatDate;
  if (isRecord(data)) return describeRecord(data, format, 0);
  return [{ label: 'Result', value: describeValue(data, 'Result', format, 0) }];
}

type Format = (iso: string) => string;

function describeRecord(record: Record<string, unknown>, format: Format, depth: number) {
  return Object.entries(record).map(([key, value]): InspectionRow => {
    const label = humaniseKey(key);
    return { label, value: describeValue(value, label, format, depth + 1) };
  });
}

function describeValue(
  value: unknown,
  label: string,
  format: Format,
  depth: number,
): InspectionValue {
  if (value === null || value === undefined) return { kind: 'text', text: NOTHING };
  if (typeof value === 'string') return describeString(value, format);
  if (typeof value !== 'object') return { kind: 'text', text: describeScalar(value) };
  if (depth > MAX_DEPTH) return { kind: 'text', text: compactJson(value), code: true };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'text', text: 'None' };
    if (value.every(isRecord)) {
      const singular = singularOf(label);
      return {
        kind: 'groups',
        groups: value.map((item, index) => ({
          heading: `${singular} ${index + 1}`,
          rows: describeRecord(item, format, depth),
        })),
      };
    }
    return {
      kind: 'list',
      items: value.map((item) =>
        typeof item === 'string'
          ? describeString(item, format).text
          : item !== null && typeof item === 'object'
            ? compactJson(item)
            : describeScalar(item),
      ),
    };
  }
  const record = value as Record<string, unknown>;
  if (Object.keys(record).length === 0) return { kind: 'text', text: 'None' };
  return { kind: 'rows', rows: describeRecord(record, format, depth) };
}

function describeString(value: string, format: Format): InspectionValue & { kind: 'text' } {
  if (ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
    const text = format(value);
    return { kind: 'text', text, dateTime: value };
  }
  if (HEX_DIGEST.test(value)) return { kind: 'text', text: value, code: true };
  return { kind: 'text', text: value === '' ? NOTHING : value };
}

function describeScalar(value: unknown): string {
  if (value === null || value === undefined) return NOTHING;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? NOTHING;
  } catch {
    return NOTHING;
  }
}

/** "Subkeys" → "Subkey", for the heading of each item; "Result" stays. */
function singularOf(label: string): string {
  if (/ies$/.test(label)) return `${label.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(label)) return label.slice(0, -2);
  if (/[^s]s$/.test(label)) return label.slice(0, -1);
  return label;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Did the save come back with something to show? A check that found nothing to say closes as usual. */
export function hasInspection(inspection: unknown): boolean {
  return inspection !== undefined && inspection !== null;
}
