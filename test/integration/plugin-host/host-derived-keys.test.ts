import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import type { SecretHandle } from '../../../shared/plugin-host-protocol';
import { secretForms } from '../../../electron/core/credentials/secret-scan';
import { DERIVED_MAX } from '../../../electron/plugin-host/host-functions/handles';
import { HostProcess, pluginInput } from './host-process';

// hmac's key `prefix` and `"output": "handle"`, through the real host and the
// crypto-probe fixture: SigV4's key chain (kDate = HMAC("AWS4" + secret, date),
// kRegion, kService, kSigning) runs in the host, and only the last MAC, the
// signature, comes back as bytes. A derived key is a handle valid in its own
// call only, and its bytes never reach the plugin.

const secret = `wJalrXUtnFEMI/K7MDENG/${randomBytes(9).toString('base64')}`;
const given = (): SecretHandle[] => [
  { handle: `${HANDLE_PREFIX}${randomBytes(16).toString('hex')}`, field: 'token', value: secret },
];
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();

// SigV4's chain as the AWS documentation writes it, with the secret in hand.
const kDate = hmac(`AWS4${secret}`, '20150830');
const kRegion = hmac(kDate, 'us-east-1');
const kService = hmac(kRegion, 'iam');
const kSigning = hmac(kService, 'aws4_request');
const stringToSign = 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n';

let host: HostProcess;
beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
  expect(await host.load('crypto-probe', { grants: { crypto: true } })).toMatchObject({ ok: true });
});
afterAll(async () => {
  // Nothing the host printed holds the secret or any key derived from it.
  for (const key of [secret, kDate, kRegion, kService, kSigning])
    for (const form of secretForms(typeof key === 'string' ? key : key.toString('base64')))
      expect(host.output).not.toContain(form);
  await host.stop();
});

type Answer = { ok: boolean; result?: string; handle?: string; error?: string };
const chain = async (requests: Record<string, unknown>[], secrets = given()) => {
  const answer = await host.callJson(
    'crypto-probe',
    pluginInput('chain', {
      requests: requests.map((r) => (r.key === 'TOKEN' ? { ...r, key: secrets[0]?.handle } : r)),
    }),
    secrets,
  );
  expect(answer.code).toBe(0);
  return answer.data as Answer[];
};
const step = (key: string, data: string, extra: Record<string, unknown> = {}) => ({
  op: 'hmac',
  alg: 'sha256',
  key,
  data: b64(data),
  output: 'handle',
  ...extra,
});

describe('hmac with a key prefix and a derived key', () => {
  it('runs SigV4’s key chain in the host: the signature equals the one made with the secret in hand', async () => {
    const answers = await chain([
      step('TOKEN', '20150830', { prefix: 'AWS4' }),
      step('$0', 'us-east-1'),
      step('$1', 'iam'),
      step('$2', 'aws4_request'),
      { op: 'hmac', alg: 'sha256', key: '$3', data: b64(stringToSign) },
    ]);
    expect(answers.slice(0, 4).map((a) => a.handle?.startsWith(HANDLE_PREFIX))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(answers[4]).toEqual({
      ok: true,
      result: hmac(kSigning, stringToSign).toString('base64'),
    });
  });

  it('answers a derived key as a handle, never as bytes in any spelling', async () => {
    const answers = await chain([step('TOKEN', '20150830', { prefix: 'AWS4' })]);
    expect(Object.keys(answers[0] ?? {}).sort()).toEqual(['handle', 'ok']);
    const text = JSON.stringify(answers);
    for (const form of secretForms(kDate.toString('base64'))) expect(text).not.toContain(form);
  });

  it('refuses a derived key in the next call, even with the same credential', async () => {
    const secrets = given();
    const [first] = await chain([step('TOKEN', '20150830', { prefix: 'AWS4' })], secrets);
    const handle = first?.handle ?? '';
    expect(handle).toMatch(/^custodian-handle:/);
    const [later] = await chain(
      [{ op: 'hmac', alg: 'sha256', key: handle, data: b64('x') }],
      secrets,
    );
    expect(later).toEqual({
      ok: false,
      error:
        '"key" is not a handle of this call: a handle is valid only for the credential of the call that received it, and only during that call',
    });
  });

  it('keeps a derived key out of where bytes belong', async () => {
    const answers = await chain([
      step('TOKEN', '20150830', { prefix: 'AWS4' }),
      { op: 'digest', alg: 'sha256', data: '$0' },
      { op: 'aes_decrypt', mode: 'ecb', key: b64(Buffer.alloc(16)), data: '$0' },
    ]);
    for (const answer of answers.slice(1))
      expect(answer).toEqual({
        ok: false,
        error: '"data" takes bytes, not a handle; handles go only where key material does',
      });
  });

  it('refuses a prefix on a key given as bytes, and a prefix that is not short text', async () => {
    const answers = await chain([
      { op: 'hmac', alg: 'sha256', key: b64('k'), data: b64('x'), prefix: 'AWS4' },
      step('TOKEN', 'x', { prefix: 'A'.repeat(65) }),
      step('TOKEN', 'x', { output: 'text' }),
    ]);
    expect(answers).toEqual([
      { ok: false, error: '"prefix" is only for a key given by handle' },
      { ok: false, error: '"prefix" must be text of at most 64 characters' },
      { ok: false, error: '"output" must be bytes or handle' },
    ]);
  });

  it(`derives at most ${DERIVED_MAX} keys in one call`, async () => {
    const requests = Array.from({ length: DERIVED_MAX + 1 }, () => step('TOKEN', 'x'));
    const answers = await chain(requests);
    expect(answers.filter((a) => a.ok)).toHaveLength(DERIVED_MAX);
    expect(answers.at(-1)).toEqual({
      ok: false,
      error: `a call may derive at most ${DERIVED_MAX} keys`,
    });
  });
});

describe('digest with fill_secrets', () => {
  it('hashes the text with the secret the plugin holds by handle filled in', async () => {
    const text = 'x-amz-security-token:{{secret:token}}\n';
    const answers = await chain([
      { op: 'digest', alg: 'sha256', data: b64(text), fill_secrets: true },
      { op: 'digest', alg: 'sha256', data: b64('{{secret:nope}}'), fill_secrets: true },
      { op: 'digest', alg: 'sha256', data: b64(Buffer.from([0xff, 0xfe])), fill_secrets: true },
    ]);
    expect(answers[0]).toEqual({
      ok: true,
      result: createHash('sha256').update(`x-amz-security-token:${secret}\n`).digest('base64'),
    });
    expect(answers[1]).toEqual({
      ok: false,
      error: "data: {{secret:nope}} names no secret field of this call's credential",
    });
    expect(answers[2]).toEqual({
      ok: false,
      error: '"data" must be UTF-8 text when "fill_secrets" is true',
    });
  });
});
