import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastResortLine, thrownAt } from '../../../electron/core/last-resort';

describe('the last resort', () => {
  it('names an error and where it was thrown, never its message', () => {
    const error = new TypeError('quotes sk-live-SECRET-1\n    at /fake/secret-path.ts:1:2');
    const line = lastResortLine('custodian', 'uncaught exception', error);
    expect(line).toMatch(
      /^\[custodian\] uncaught exception: TypeError at .*last-resort\.test\.ts:\d+:\d+; still serving$/,
    );
    expect(line).not.toContain('SECRET');
    expect(line).not.toContain('secret-path');
    expect(lastResortLine('x', 'unhandled rejection', 'a string with sk-SECRET')).toBe(
      '[x] unhandled rejection: string at an unknown place; still serving',
    );
    const coded = Object.assign(new Error('connect to 10.0.0.1 refused'), { code: 'ECONNREFUSED' });
    expect(lastResortLine('x', 'k', coded)).toMatch(/: Error ECONNREFUSED at /);
    const odd = Object.assign(new Error('m'), { name: 'token sk-SECRET' });
    expect(lastResortLine('x', 'k', odd)).not.toContain('SECRET');
    expect(thrownAt({ stack: 'not an error' })).toBe('an unknown place');
  });

  it('keeps a process serving after a throw from a timer and an unhandled rejection', () => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'last-resort-child.ts')],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('still alive\n');
    const lines = child.stderr.trim().split('\n').sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[child\] uncaught exception: TypeError at .*last-resort-child\.ts:/,
    );
    expect(lines[1]).toMatch(
      /^\[child\] unhandled rejection: RangeError at .*last-resort-child\.ts:/,
    );
    expect(child.stderr).not.toContain('SECRET');
  });
});
