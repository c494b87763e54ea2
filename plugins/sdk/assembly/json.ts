// A small JSON value type: parse the request, build the response.
//
// AssemblyScript has no `any`, so every value is a JsonValue tagged with its
// kind. Getters never throw (a throw in AssemblyScript aborts the whole call):
// asking a string for a number gives the fallback instead, and the caller
// decides what a wrong type means.

export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

/** Nesting deeper than this is refused: a hostile document must not exhaust the stack. */
const MAX_DEPTH = 128;
/** Integers up to 2^53 are exact in an f64 and are written without a fraction. */
const MAX_SAFE_INTEGER: f64 = 9007199254740991;

export class JsonValue {
  kind: JsonKind;
  private flag: bool = false;
  private num: f64 = 0;
  private str: string = '';
  /** Array elements, or object values (in insertion order). */
  private items: JsonValue[] = [];
  /** Object keys, parallel to `items`. */
  private names: string[] = [];

  constructor(kind: JsonKind) {
    this.kind = kind;
  }

  isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  isBool(): bool {
    return this.kind == JsonKind.Bool;
  }
  isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  isString(): bool {
    return this.kind == JsonKind.String;
  }
  isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  isObject(): bool {
    return this.kind == JsonKind.Object;
  }
  /** A number without a fraction that an i64 holds exactly. */
  isInteger(): bool {
    return (
      this.kind == JsonKind.Number &&
      Math.floor(this.num) == this.num &&
      Math.abs(this.num) <= MAX_SAFE_INTEGER
    );
  }

  asBool(fallback: bool = false): bool {
    return this.kind == JsonKind.Bool ? this.flag : fallback;
  }
  asNumber(fallback: f64 = 0): f64 {
    return this.kind == JsonKind.Number ? this.num : fallback;
  }
  asInteger(fallback: i64 = 0): i64 {
    return this.isInteger() ? <i64>this.num : fallback;
  }
  asString(fallback: string = ''): string {
    return this.kind == JsonKind.String ? this.str : fallback;
  }

  /** Elements of an array or members of an object; 0 for anything else. */
  get length(): i32 {
    return this.kind == JsonKind.Array || this.kind == JsonKind.Object ? this.items.length : 0;
  }
  /** The array element at `index`, or null. */
  at(index: i32): JsonValue | null {
    if (this.kind != JsonKind.Array || index < 0 || index >= this.items.length) return null;
    return this.items[index];
  }
  /** The object member `key`, or null (also when this is not an object). */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    const index = this.names.lastIndexOf(key);
    return index < 0 ? null : this.items[index];
  }
  has(key: string): bool {
    return this.get(key) != null;
  }
  /** An object's keys in document order (a copy). */
  keys(): string[] {
    return this.kind == JsonKind.Object ? this.names.slice(0) : [];
  }

  /** Sets an object member (replacing one of the same name); returns this for chaining. */
  set(key: string, value: JsonValue): JsonValue {
    assert(this.kind == JsonKind.Object, 'JsonValue.set on a non-object');
    const index = this.names.lastIndexOf(key);
    if (index >= 0) {
      this.items[index] = value;
    } else {
      this.names.push(key);
      this.items.push(value);
    }
    return this;
  }
  setString(key: string, value: string): JsonValue {
    return this.set(key, Json.str(value));
  }
  setNumber(key: string, value: f64): JsonValue {
    return this.set(key, Json.num(value));
  }
  setInteger(key: string, value: i64): JsonValue {
    return this.set(key, Json.int(value));
  }
  setBool(key: string, value: bool): JsonValue {
    return this.set(key, Json.bool(value));
  }
  /** Appends to an array; returns this for chaining. */
  push(value: JsonValue): JsonValue {
    assert(this.kind == JsonKind.Array, 'JsonValue.push on a non-array');
    this.items.push(value);
    return this;
  }

  /** Compact JSON text. */
  stringify(): string {
    const out: string[] = [];
    this.write(out);
    return out.join('');
  }

  private write(out: string[]): void {
    switch (this.kind) {
      case JsonKind.Null:
        out.push('null');
        break;
      case JsonKind.Bool:
        out.push(this.flag ? 'true' : 'false');
        break;
      case JsonKind.Number:
        out.push(formatNumber(this.num));
        break;
      case JsonKind.String:
        writeString(out, this.str);
        break;
      case JsonKind.Array:
        out.push('[');
        for (let i = 0; i < this.items.length; i++) {
          if (i > 0) out.push(',');
          this.items[i].write(out);
        }
        out.push(']');
        break;
      case JsonKind.Object:
        out.push('{');
        for (let i = 0; i < this.items.length; i++) {
          if (i > 0) out.push(',');
          writeString(out, this.names[i]);
          out.push(':');
          this.items[i].write(out);
        }
        out.push('}');
        break;
    }
  }

  /** @internal used by Json's builders and the parser */
  static make(kind: JsonKind, flag: bool, num: f64, str: string): JsonValue {
    const value = new JsonValue(kind);
    value.flag = flag;
    value.num = num;
    value.str = str;
    return value;
  }
}

/** Builders and the parser. */
export class Json {
  /** Why the last `Json.parse` returned null. */
  static lastError: string = '';

  static nil(): JsonValue {
    return new JsonValue(JsonKind.Null);
  }
  static bool(value: bool): JsonValue {
    return JsonValue.make(JsonKind.Bool, value, 0, '');
  }
  static num(value: f64): JsonValue {
    return JsonValue.make(JsonKind.Number, false, value, '');
  }
  static int(value: i64): JsonValue {
    return JsonValue.make(JsonKind.Number, false, <f64>value, '');
  }
  static str(value: string): JsonValue {
    return JsonValue.make(JsonKind.String, false, 0, value);
  }
  static array(): JsonValue {
    return new JsonValue(JsonKind.Array);
  }
  static object(): JsonValue {
    return new JsonValue(JsonKind.Object);
  }
  static strings(values: string[]): JsonValue {
    const array = Json.array();
    for (let i = 0; i < values.length; i++) array.push(Json.str(values[i]));
    return array;
  }

  /** Parses strict JSON (RFC 8259); null with `Json.lastError` set when the text is not. */
  static parse(text: string): JsonValue | null {
    const parser = new Parser(text);
    const value = parser.document();
    Json.lastError = parser.error;
    return value;
  }

  /** A JSON string literal, quotes included. */
  static quote(value: string): string {
    const out: string[] = [];
    writeString(out, value);
    return out.join('');
  }
}

function formatNumber(value: f64): string {
  if (!isFinite(value)) return 'null'; // JSON has no NaN or Infinity
  if (Math.floor(value) == value && Math.abs(value) <= MAX_SAFE_INTEGER) {
    return (<i64>value).toString();
  }
  return value.toString();
}

const HEX_DIGITS = '0123456789abcdef';

function hex4(c: i32): string {
  let digits = '';
  for (let shift = 12; shift >= 0; shift -= 4) digits += HEX_DIGITS.charAt((c >> shift) & 15);
  return digits;
}

function writeString(out: string[], value: string): void {
  out.push('"');
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is kept; a lone surrogate has no UTF-8 form (the
      // encoder would write invalid bytes), so it is escaped like JSON.stringify does.
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    } else if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    // Copy the run before the character that needs escaping, then the escape.
    if (i > start) out.push(value.substring(start, i));
    start = i + 1;
    if (c == 0x22) out.push('\\"');
    else if (c == 0x5c) out.push('\\\\');
    else if (c == 0x0a) out.push('\\n');
    else if (c == 0x0d) out.push('\\r');
    else if (c == 0x09) out.push('\\t');
    else if (c == 0x08) out.push('\\b');
    else if (c == 0x0c) out.push('\\f');
    else out.push('\\u' + hex4(c));
  }
  if (start == 0) out.push(value);
  else if (start < value.length) out.push(value.substring(start));
  out.push('"');
}

class Parser {
  text: string;
  pos: i32 = 0;
  error: string = '';

  constructor(text: string) {
    this.text = text;
  }

  document(): JsonValue | null {
    this.skipSpace();
    const value = this.value(0);
    if (value == null) return null;
    this.skipSpace();
    if (this.pos != this.text.length) return this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(message: string): JsonValue | null {
    if (this.error.length == 0) this.error = message + ' at offset ' + this.pos.toString();
    return null;
  }

  private peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
      this.pos++;
    }
  }

  private literal(word: string, value: JsonValue): JsonValue | null {
    if (this.text.substr(this.pos, word.length) != word) return this.fail('invalid literal');
    this.pos += word.length;
    return value;
  }

  private value(depth: i32): JsonValue | null {
    if (depth > MAX_DEPTH) return this.fail('nesting too deep');
    const c = this.peek();
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      const s = this.string();
      return s == null ? null : Json.str(s);
    }
    if (c == 0x74) return this.literal('true', Json.bool(true));
    if (c == 0x66) return this.literal('false', Json.bool(false));
    if (c == 0x6e) return this.literal('null', Json.nil());
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail(c < 0 ? 'unexpected end of JSON' : 'unexpected character');
  }

  private object(depth: i32): JsonValue | null {
    const result = Json.object();
    this.pos++; // {
    this.skipSpace();
    if (this.peek() == 0x7d) {
      this.pos++;
      return result;
    }
    while (true) {
      if (this.peek() != 0x22) return this.fail('expected a member name');
      const key = this.string();
      if (key == null) return null;
      this.skipSpace();
      if (this.peek() != 0x3a) return this.fail('expected ":"');
      this.pos++;
      this.skipSpace();
      const member = this.value(depth + 1);
      if (member == null) return null;
      result.set(key, member); // a repeated name keeps the last value, as JSON.parse does
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c == 0x7d) return result;
      if (c != 0x2c) return this.fail('expected "," or "}"');
      this.skipSpace();
    }
  }

  private array(depth: i32): JsonValue | null {
    const result = Json.array();
    this.pos++; // [
    this.skipSpace();
    if (this.peek() == 0x5d) {
      this.pos++;
      return result;
    }
    while (true) {
      const element = this.value(depth + 1);
      if (element == null) return null;
      result.push(element);
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c == 0x5d) return result;
      if (c != 0x2c) return this.fail('expected "," or "]"');
      this.skipSpace();
    }
  }

  private digits(): i32 {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos - start;
  }

  private number(): JsonValue | null {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    if (this.peek() == 0x30) {
      this.pos++; // a leading zero stands alone
    } else if (this.digits() == 0) {
      return this.fail('invalid number');
    }
    if (this.peek() == 0x2e) {
      this.pos++;
      if (this.digits() == 0) return this.fail('invalid number');
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.pos++;
      const sign = this.peek();
      if (sign == 0x2b || sign == 0x2d) this.pos++;
      if (this.digits() == 0) return this.fail('invalid number');
    }
    return Json.num(parseFloat(this.text.substring(start, this.pos)));
  }

  private hex4(): i32 {
    if (this.pos + 4 > this.text.length) return -1;
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.text.charCodeAt(this.pos + i);
      let digit = -1;
      if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) digit = c - 0x41 + 10;
      if (digit < 0) return -1;
      value = (value << 4) | digit;
    }
    this.pos += 4;
    return value;
  }

  /** A string literal at `pos` (on its opening quote); null on error. */
  private string(): string | null {
    this.pos++; // "
    const parts: string[] = [];
    let start = this.pos;
    while (true) {
      if (this.pos >= this.text.length) {
        this.fail('unterminated string');
        return null;
      }
      const c = this.text.charCodeAt(this.pos);
      if (c == 0x22) break;
      if (c < 0x20) {
        this.fail('control character in string');
        return null;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      // An escape: keep the run before it, then decode it.
      if (this.pos > start) parts.push(this.text.substring(start, this.pos));
      this.pos++;
      const e = this.peek();
      this.pos++;
      if (e == 0x22) parts.push('"');
      else if (e == 0x5c) parts.push('\\');
      else if (e == 0x2f) parts.push('/');
      else if (e == 0x62) parts.push('\b');
      else if (e == 0x66) parts.push('\f');
      else if (e == 0x6e) parts.push('\n');
      else if (e == 0x72) parts.push('\r');
      else if (e == 0x74) parts.push('\t');
      else if (e == 0x75) {
        // Strings are UTF-16 here, so a surrogate pair is just two code units.
        const unit = this.hex4();
        if (unit < 0) {
          this.fail('invalid \\u escape');
          return null;
        }
        parts.push(String.fromCharCode(unit));
      } else {
        this.pos--;
        this.fail('invalid escape');
        return null;
      }
      start = this.pos;
    }
    const tail = this.text.substring(start, this.pos);
    this.pos++; // closing quote
    if (parts.length == 0) return tail;
    parts.push(tail);
    return parts.join('');
  }
}
