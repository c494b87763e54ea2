import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// Issue 14: "allowed_hosts = *.com" would send the key to any .com host. A
// real core refuses such a grant on save, naming the field and saying why.

let fixture: CoreFixture;

beforeAll(async () => {
  fixture = await startCore();
  resultOf(await fixture.core.dispatch('vault:create', {}));
}, 120_000);

afterAll(async () => {
  await fixture?.cleanup();
});

const save = (allowed_hosts: string, name = `key for ${allowed_hosts}`) =>
  fixture.core.dispatch('credentials:create', {
    type: 'api_key',
    name,
    fields: { key: 'sk-wildcard-test-1', allowed_hosts },
  });

describe('saving allowed hosts', () => {
  it.each([
    ['*.com', /^"\*\.com" covers every site under "com", a public suffix/],
    ['api.example.com, *.co.uk', /^"\*\.co\.uk" covers every site under "co\.uk"/],
    ['*', /^"\*" would allow every host: name a site, such as \*\.example\.com$/],
  ])('refuses %s with invalid_input saying why', async (hosts, message) => {
    const answer = await save(hosts);
    expect(answer).toMatchObject({ error: { code: 'invalid_input' } });
    const fields = 'error' in answer ? answer.error.fields : undefined;
    expect(Object.keys(fields ?? {})).toEqual(['allowed_hosts']);
    expect(fields?.allowed_hosts).toMatch(message);
  });

  it('refuses the same on an edit', async () => {
    const saved = resultOf(await save('*.example.com', 'edited'));
    const answer = await fixture.core.dispatch('credentials:update', {
      id: saved.id,
      fields: { allowed_hosts: '*.com' },
    });
    expect(answer).toMatchObject({
      error: { code: 'invalid_input', fields: { allowed_hosts: expect.stringMatching(/\*\.com/) } },
    });
  });

  it('accepts a wildcard below a public suffix', async () => {
    resultOf(await save('*.example.com, *.example.co.uk'));
    const names = resultOf(await fixture.core.dispatch('credentials:list', {})).map((c) => c.name);
    expect(names).toContain('key for *.example.com, *.example.co.uk');
    for (const refused of ['*.com', 'api.example.com, *.co.uk', '*'])
      expect(names).not.toContain(`key for ${refused}`);
  });
});
