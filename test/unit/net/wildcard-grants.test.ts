import { describe, expect, it } from 'vitest';
import {
  grantListProblem,
  hostGranted,
  wildcardScopeProblem,
} from '../../../electron/core/net/host-grants';

// Issue 14: a wildcard grant must name at least one label below a public
// suffix, so "*.com" can never send a key to every .com host.

describe('a wildcard grant', () => {
  it.each([
    ['*.com', '"*.com" covers every site under "com", a public suffix'],
    ['*.co.uk', '"*.co.uk" covers every site under "co.uk", a public suffix'],
    ['*.github.io', '"*.github.io" covers every site under "github.io", a public suffix'],
    ['*.COM:8443', '"*.COM:8443" covers every site under "com", a public suffix'],
  ])('over a public suffix is refused, saying why: %s', (grant, start) => {
    const problem = wildcardScopeProblem(grant);
    expect(problem?.startsWith(start), problem).toBe(true);
    expect(problem).toMatch(/name a site below it, such as \*\.example\.com/);
  });

  it('alone is refused, saying why', () => {
    expect(wildcardScopeProblem('*')).toBe(
      '"*" would allow every host: name a site, such as *.example.com',
    );
  });

  it.each(['*.example.com', '*.example.co.uk', '*.user.github.io', '*.allowed.test', 'com'])(
    'below a public suffix, or no wildcard, is fine: %s',
    (grant) => expect(wildcardScopeProblem(grant)).toBeUndefined(),
  );

  it('over a public suffix grants nothing, even when stored before the rule', () => {
    expect(hostGranted(['*.com'], 'evil.com', 443, 'https:')).toBe(false);
    expect(hostGranted(['*.co.uk'], 'shop.co.uk', 443, 'https:')).toBe(false);
    expect(hostGranted(['*.example.com'], 'api.example.com', 443, 'https:')).toBe(true);
  });
});

describe("a credential's allowed hosts", () => {
  it('name the first wildcard that is too broad, https:// or port included', () => {
    expect(grantListProblem('api.example.com, *.com')).toMatch(/^"\*\.com" covers every site/);
    expect(grantListProblem('https://*.co.uk:8443')).toMatch(/"co\.uk", a public suffix/);
    expect(grantListProblem('api.example.com *')).toMatch(/^"\*" would allow every host/);
    expect(grantListProblem('api.example.com, *.example.org')).toBeUndefined();
    expect(grantListProblem(undefined)).toBeUndefined();
  });
});
