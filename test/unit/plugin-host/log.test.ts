import { describe, expect, it } from 'vitest';
import type { HostEvent } from '../../../shared/plugin-host-protocol';
import {
  LINE_MAX,
  PluginLog,
  TokenBucket,
  toLine,
} from '../../../electron/plugin-host/host-functions/log';
import {
  createScrubber,
  credentialStrings,
  REDACTED,
} from '../../../electron/plugin-host/host-functions/scrub';

// Log lines leave the host as HostEvents: every credential value is scrubbed
// (raw, JSON-escaped, hex, base64, and pieces of 8+ characters), each line is
// one printable line of bounded length, and a plugin gets a burst, then a rate.

const SECRET = 'hunter2-correct-horse';
const scrub = createScrubber([SECRET, 'alice']);

describe('the scrubber', () => {
  it.each([
    ['raw', SECRET],
    ['hex', Buffer.from(SECRET).toString('hex')],
    ['HEX', Buffer.from(SECRET).toString('hex').toUpperCase()],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
  ])('removes the %s form', (_form, text) => {
    const out = scrub(`before ${text} after`);
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it('removes the JSON-escaped form of a value with quotes and newlines', () => {
    const value = 'line one\nline "two"';
    const out = createScrubber([value])(`{"key":${JSON.stringify(value)}}`);
    expect(out).not.toContain('line one');
    expect(out).toContain(REDACTED);
  });

  it('removes pieces of 8 or more characters, so a value cannot leave in halves', () => {
    const out = scrub(`first half ${SECRET.slice(0, 10)} second half ${SECRET.slice(10)}`);
    expect(out).not.toContain(SECRET.slice(0, 10));
    expect(out).not.toContain(SECRET.slice(10));
  });

  it('removes the start of a value cut off at the end of a truncated text', () => {
    const cut = `value: ${SECRET.slice(0, 5)}`;
    expect(scrub(cut, true)).toBe(`value: ${REDACTED}`);
    expect(scrub(cut, false)).toBe(cut);
  });

  it('scrubs the other encoding of a value that is itself hex or base64', () => {
    const key = Buffer.from('0123456789abcdef0123', 'utf8');
    const asHex = key.toString('hex');
    const out = createScrubber([asHex])(`as base64: ${key.toString('base64')}`);
    expect(out).toBe(`as base64: ${REDACTED}`);
  });

  it('leaves values shorter than 4 characters alone, and text without values as it is', () => {
    expect(createScrubber(['us'])('status: busy')).toBe('status: busy');
    expect(scrub('nothing to see')).toBe('nothing to see');
    expect(scrub('alice logged in')).toBe(`${REDACTED} logged in`);
  });

  it('finds every string value in a credential, nested or not', () => {
    expect(credentialStrings({ a: 'x', b: true, c: { d: 'y' }, e: ['z'] })).toEqual([
      'x',
      'y',
      'z',
    ]);
  });
});

describe('toLine', () => {
  it('makes one printable line of bounded length', () => {
    expect(toLine('a\nb\r\tc\u2028d')).toBe('a b  c d');
    const long = toLine('x'.repeat(LINE_MAX + 10));
    expect(long.startsWith('x'.repeat(LINE_MAX))).toBe(true);
    expect(long).toMatch(/10 more characters/);
  });
});

describe('the rate limit', () => {
  it('allows a burst of 20, then 5 a second', () => {
    const bucket = new TokenBucket({ burst: 20, perSecond: 5 }, 0);
    let passed = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(0)) passed++;
    expect(passed).toBe(20);
    expect(bucket.take(100)).toBe(false);
    expect(bucket.take(200)).toBe(true); // 200 ms at 5/s: one token
    let later = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(10_000)) later++;
    expect(later).toBe(20); // never more than the burst
  });

  it('counts dropped lines per plugin and reports them with the next line that passes', () => {
    const events: HostEvent[] = [];
    let now = 0;
    const log = new PluginLog(
      (event) => events.push(event),
      { burst: 2, perSecond: 1 },
      () => now,
    );
    const identity = (text: string) => text;
    expect(log.write('a', 'info', 'one', identity)).toBe(true);
    expect(log.write('a', 'info', 'two', identity)).toBe(true);
    expect(log.write('a', 'info', 'three', identity)).toBe(false);
    expect(log.write('b', 'error', 'other plugin', identity)).toBe(true);
    now = 1_000;
    expect(log.write('a', 'debug', 'four', identity)).toBe(true);
    expect(events).toEqual([
      { kind: 'log', plugin: 'a', level: 'info', message: 'one' },
      { kind: 'log', plugin: 'a', level: 'info', message: 'two' },
      { kind: 'log', plugin: 'b', level: 'error', message: 'other plugin' },
      { kind: 'log', plugin: 'a', level: 'warn', message: expect.stringMatching(/^1 log line/) },
      { kind: 'log', plugin: 'a', level: 'debug', message: 'four' },
    ]);
  });

  it('scrubs before it cuts the line, and maps unknown levels to info', () => {
    const events: HostEvent[] = [];
    const log = new PluginLog((event) => events.push(event));
    log.write('a', 'shout', `token ${SECRET}\n`, scrub);
    expect(events).toEqual([
      { kind: 'log', plugin: 'a', level: 'info', message: `token ${REDACTED} ` },
    ]);
  });
});
