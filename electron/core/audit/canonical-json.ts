import { createHash } from 'node:crypto';

// One text per value, whoever built it and in whatever key order: object keys
// sorted by UTF-16 code units, no whitespace, strings and numbers as
// JSON.stringify writes them (the JCS rules, RFC 8785). Hashes are taken over
// this text, so the same payload always hashes the same.

export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? 'null';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Returns undefined for what JSON leaves out (undefined, functions, symbols),
// so objects skip those keys and arrays write null, as JSON.stringify does.
function write(value: unknown, ancestors: Set<object>): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'bigint') throw new TypeError('A bigint has no JSON form.');
  if (typeof value !== 'object') return undefined;
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') {
    return write((withJson.toJSON as () => unknown).call(value), ancestors);
  }
  if (ancestors.has(value)) throw new TypeError('A value that contains itself has no JSON form.');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item: unknown) => write(item, ancestors) ?? 'null').join(',')}]`;
    }
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key], ancestors);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
