// SigV4's canonical request, piece by piece, as botocore's SigV4Auth builds
// it (botocore/auth.py): the path without dot segments and URI-encoded
// (quote(path, safe='/~')), the query's pairs sorted by key then value as
// written, each header lower case with its value's whitespace runs made one
// space, sorted by name.

const HEX = '0123456789ABCDEF';

function unreserved(c: i32): bool {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c == 0x2d ||
    c == 0x2e ||
    c == 0x5f ||
    c == 0x7e
  );
}

/** Python's quote(text, safe='/~') over UTF-8. */
function quotePath(text: string): string {
  const bytes = Uint8Array.wrap(String.UTF8.encode(text));
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = <i32>bytes[i];
    if (unreserved(c) || c == 0x2f) out += String.fromCharCode(c);
    else out += '%' + HEX.charAt(c >> 4) + HEX.charAt(c & 15);
  }
  return out;
}

/** botocore's remove_dot_segments (empty segments go too). */
function removeDotSegments(path: string): string {
  if (path.length == 0) return '/';
  const parts = path.split('/');
  const kept = new Array<string>();
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.length == 0 || part == '.') continue;
    if (part == '..') {
      if (kept.length > 0) kept.pop();
    } else kept.push(part);
  }
  const first = path.startsWith('/') ? '/' : '';
  const last = path.endsWith('/') && kept.length > 0 ? '/' : '';
  return first + kept.join('/') + last;
}

export function canonicalPath(path: string): string {
  return quotePath(removeDotSegments(path));
}

class Pair {
  constructor(
    public key: string,
    public value: string,
  ) {}
}

function comparePairs(a: Pair, b: Pair): i32 {
  if (a.key != b.key) return a.key < b.key ? -1 : 1;
  if (a.value == b.value) return 0;
  return a.value < b.value ? -1 : 1;
}

export function canonicalQuery(query: string): string {
  if (query.length == 0) return '';
  const pairs = new Array<Pair>();
  const items = query.split('&');
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const eq = item.indexOf('=');
    pairs.push(eq < 0 ? new Pair(item, '') : new Pair(item.slice(0, eq), item.slice(eq + 1)));
  }
  pairs.sort(comparePairs);
  const out = new Array<string>();
  for (let i = 0; i < pairs.length; i++) out.push(pairs[i].key + '=' + pairs[i].value);
  return out.join('&');
}

function isSpace(c: i32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

/** ' '.join(value.split()): runs of whitespace as one space, none at the ends. */
export function trimAll(value: string): string {
  let out = '';
  let pending = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isSpace(c)) {
      pending = out.length > 0;
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += String.fromCharCode(c);
  }
  return out;
}

/** Headers to sign: lower-case names, values in the order given, sorted by name. */
export class SignedHeaders {
  names: string[] = [];
  values: string[][] = [];

  add(name: string, value: string): void {
    const lower = name.toLowerCase();
    const at = this.names.indexOf(lower);
    if (at >= 0) {
      this.values[at].push(value);
      return;
    }
    this.names.push(lower);
    this.values.push([value]);
  }

  has(name: string): bool {
    return this.names.indexOf(name) >= 0;
  }

  private sortedNames(): string[] {
    const names = this.names.slice(0);
    names.sort((a: string, b: string): i32 => (a == b ? 0 : a < b ? -1 : 1));
    return names;
  }

  /** name:value lines, each value trimmed and repeated ones joined with ",". */
  canonical(): string {
    const names = this.sortedNames();
    const lines = new Array<string>();
    for (let i = 0; i < names.length; i++) {
      const values = this.values[this.names.indexOf(names[i])];
      const trimmed = new Array<string>();
      for (let v = 0; v < values.length; v++) trimmed.push(trimAll(values[v]));
      lines.push(names[i] + ':' + trimmed.join(','));
    }
    return lines.join('\n');
  }

  /** The SignedHeaders list: names sorted, joined with ";". */
  list(): string {
    return this.sortedNames().join(';');
  }
}
