import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security/csp';

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(map.has(name), `directive ${name} appears twice`).toBe(false);
    map.set(name, values);
  }
  return map;
}

describe('the renderer CSP', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it("allows scripts from 'self' only", () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('never allows eval or inline scripts anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(
      /unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/,
    );
    for (const [name, values] of csp) {
      if (name.startsWith('script-src') || name === 'default-src') {
        expect(values).not.toContain("'unsafe-inline'");
      }
    }
  });

  it("falls back to nothing: default-src 'none'", () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });

  it('cannot be framed, load plugins, or rebase URLs', () => {
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('connects nowhere but its own origin', () => {
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|ws:|wss:/);
  });
});
