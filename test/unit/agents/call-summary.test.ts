import { describe, expect, it } from 'vitest';
import { describeCall, SUMMARY_MAX_CHARS } from '../../../electron/core/agents/call-summary';
import type { AgentTool } from '../../../electron/core/agents/tools';
import { canonicalJson, sha256Hex } from '../../../electron/core/audit/canonical-json';

// What the person approves: the exact payload, readable, with nothing hidden.

const tool = (name: string, source: AgentTool['source'] = { kind: 'builtin' }): AgentTool => ({
  name,
  title: name,
  description: '',
  inputSchema: { type: 'object', properties: {} },
  annotations: {},
  readOnly: false,
  reachesOut: false,
  source,
});
const pgp = tool('pgp_sign', { kind: 'plugin', plugin: 'pgp-signing', action: 'sign' });

describe('describeCall', () => {
  it('shows ssh_sign’s namespace, then the commit to sign as text, whatever order the agent sent', () => {
    const ssh: AgentTool = {
      ...tool('ssh_sign', { kind: 'plugin', plugin: 'ssh-signing', action: 'sign' }),
      inputSchema: {
        type: 'object',
        properties: { credential: {}, namespace: {}, data: {}, encoding: {} },
      },
    };
    const commit = 'tree 4b825dc6\nauthor A <a@example.org> 1764990000 +0000\n\nFix the build\n';
    const call = describeCall(ssh, { data: commit, credential: 'laptop', namespace: 'git' });
    expect(call.credential).toBe('laptop');
    expect(call.summary).toBe(
      `action sign of plugin ssh-signing\nnamespace: git\ndata:\n${commit}`,
    );
  });

  it('shows http_request as its request line, host, headers and body', () => {
    const call = describeCall(tool('http_request'), {
      credential: 'GitHub',
      method: 'POST',
      url: 'https://api.github.com/repos/x/issues',
      query: { state: 'open' },
      headers: { Accept: 'application/json' },
      body: '{"title":"hi"}',
    });
    expect(call.credential).toBe('GitHub');
    expect(call.summary.split('\n')).toEqual([
      'POST https://api.github.com/repos/x/issues?state=open',
      'Host: api.github.com',
      'Accept: application/json',
      '(plus the credential’s authentication, added by Custodian)',
      '',
      '{"title":"hi"}',
    ]);
  });

  it('describes header and query values of any JSON type, even objects that cannot become strings', () => {
    // Found by the fuzzer (issue 14): String() of {"toString": 1} throws, and the call failed.
    const odd = JSON.parse('{"toString": 1, "valueOf": 2}') as unknown;
    const call = describeCall(tool('http_request'), {
      method: 'GET',
      url: 'https://api.example.com/',
      query: { q: odd, n: 3 },
      headers: { 'X-Odd': odd, 'X-Num': 5, 'X-None': null },
    });
    expect(call.summary.split('\n')).toEqual([
      'GET https://api.example.com/?q=%7B%22toString%22%3A1%2C%22valueOf%22%3A2%7D&n=3',
      'Host: api.example.com',
      'X-Odd: {"toString":1,"valueOf":2}',
      'X-Num: 5',
      'X-None: null',
      '(plus the credential’s authentication, added by Custodian)',
    ]);
  });

  it('says so when the url is not a URL instead of guessing a host', () => {
    const call = describeCall(tool('http_request'), { method: 'GET', url: 'not a url' });
    expect(call.summary).toContain('GET not a url\nHost: (not a valid URL)');
    expect(call.credential).toBeNull();
  });

  it('shows a plugin call as its action and each argument, a multi-line text in full', () => {
    const call = describeCall(pgp, {
      credential: 'release key',
      text: 'first line\nsecond line',
      armor: true,
    });
    expect(call.summary).toBe(
      'action sign of plugin pgp-signing\ntext:\nfirst line\nsecond line\narmor: true',
    );
  });

  it('reveals invisible characters that could disguise the text to sign', () => {
    const call = describeCall(pgp, { text: 'pay 10\u202E00 EUR\u200B' });
    expect(call.summary).toContain('text: pay 10⟨U+202E⟩00 EUR⟨U+200B⟩');
  });

  it('hashes the tool and every argument canonically, whatever the key order', () => {
    const a = describeCall(pgp, { text: 'x', armor: true });
    const b = describeCall(pgp, { armor: true, text: 'x' });
    expect(a.payloadHash).toBe(b.payloadHash);
    expect(a.payloadHash).toBe(
      sha256Hex(canonicalJson({ tool: 'pgp_sign', arguments: { text: 'x', armor: true } })),
    );
    expect(describeCall(pgp, { text: 'y', armor: true }).payloadHash).not.toBe(a.payloadHash);
  });

  it('cuts a huge payload for display but hashes all of it', () => {
    const big = 'a'.repeat(SUMMARY_MAX_CHARS * 2);
    const call = describeCall(pgp, { text: big });
    expect(call.summary.length).toBeLessThan(SUMMARY_MAX_CHARS + 200);
    expect(call.summary).toMatch(/more characters not shown; the payload hash covers all of it\)$/);
    expect(call.payloadHash).toBe(
      sha256Hex(canonicalJson({ tool: 'pgp_sign', arguments: { text: big } })),
    );
  });
});
