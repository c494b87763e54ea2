import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../../electron/core/credentials/secret-scan';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// totp, jwt and aws-sigv4 in a real headless core, installed from their build
// folders as the app installs them, credentials added as the window adds them
// (credentials:create, with the import entry run once), called through main
// (core.pluginCalls) at the core's fake clock, and each answer checked by the
// reference implementation: oathtool, PyJWT, botocore.

const repo = join(import.meta.dirname, '..', '..', '..');
const here = import.meta.dirname;
const NOW = new Date('2026-03-14T15:09:26Z');
const unix = Math.floor(NOW.getTime() / 1000);

const seed = randomBytes(20);
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32 = (bytes: Buffer) => {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
};
const OTP_URI = `otpauth://totp/Example:me%40example.org?secret=${base32(seed)}&issuer=Example&algorithm=SHA256&digits=8`;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const EC_PEM = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const AWS_SECRET = `aws/secret+${randomBytes(15).toString('base64')}`;
const SECRETS = [OTP_URI, base32(seed), EC_PEM, AWS_SECRET];

let fixture: CoreFixture;
beforeAll(async () => {
  fixture = await startCore({ now: () => NOW });
  resultOf(await fixture.core.dispatch('vault:create', {}));
  for (const name of ['totp', 'jwt', 'aws-sigv4'])
    await fixture.core.plugins.installFromDirectory(join(repo, 'plugins', name, 'build'), {
      source: 'test',
    });
});
afterAll(() => fixture?.cleanup());

const run = async (plugin: string, action: string, credential: string, parameters = {}) =>
  (await fixture.core.pluginCalls.run({
    plugin,
    action,
    credential: { name: credential },
    parameters,
  })) as { code: number; data: Record<string, unknown>; error?: string | null };

/** No answer the window could get holds a secret, in any spelling. */
async function windowSeesNoSecret() {
  const listed = JSON.stringify(resultOf(await fixture.core.dispatch('credentials:list', {})));
  for (const secret of SECRETS)
    for (const form of secretForms(secret)) expect(listed.includes(form)).toBe(false);
}

describe('first-party plugins in a core', () => {
  it('list their tools with the default mode ask', async () => {
    const tools = resultOf(await fixture.core.dispatch('tools:list', {}));
    const modes = Object.fromEntries(tools.map((t) => [t.name, t.defaultMode]));
    expect(modes).toMatchObject({
      totp_code: 'ask',
      jwt_sign: 'ask',
      aws_sign: 'ask',
      aws_request: 'ask',
    });
  });

  it('totp: a pasted otpauth URI is imported once; the code equals oathtool’s at the core’s time', async () => {
    const saved = resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: 'totp',
        name: 'Example 2FA',
        fields: { secret: OTP_URI },
      }),
    );
    expect(saved.inspection).toMatchObject({
      issuer: 'Example',
      account: 'me@example.org',
      settings:
        'From the otpauth URI: algorithm SHA256, 8 digits (these win over the fields below)',
    });
    const answer = await run('totp', 'code', 'Example 2FA');
    const expected = execFileSync(
      'oathtool',
      ['--totp=SHA256', '--digits=8', `--now=@${unix}`, seed.toString('hex')],
      { encoding: 'utf8' },
    ).trim();
    expect(answer).toMatchObject({
      code: 0,
      data: { code: expected, valid_for: 30 - (unix % 30) },
    });
    await windowSeesNoSecret();
  });

  it('jwt: a PEM imported once; jwt_sign’s token verifies with PyJWT at the core’s time', async () => {
    const saved = resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: 'jwt_key',
        name: 'Deploy bot',
        fields: { algorithm: 'ES256', key: EC_PEM, kid: 'deploy-1', issuer: 'custodian-test' },
      }),
    );
    expect(saved.inspection).toMatchObject({ algorithm: 'ES256', key: 'EC P-256' });
    const answer = await run('jwt', 'sign', 'Deploy bot', {
      claims: { sub: 'ci', exp: 1 },
      expires_in: 120,
    });
    expect(answer.error ?? null).toBeNull();
    const verified = JSON.parse(
      execFileSync('/usr/bin/python3', [join(here, 'pyjwt_verify.py')], {
        input: JSON.stringify({
          token: answer.data.token,
          key: ec.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          algorithm: 'ES256',
          check_time: false,
          issuer: 'custodian-test',
        }),
        encoding: 'utf8',
      }),
    ) as unknown;
    expect(verified).toEqual({
      header: { alg: 'ES256', typ: 'JWT', kid: 'deploy-1' },
      claims: { sub: 'ci', iss: 'custodian-test', iat: unix, exp: unix + 120 },
    });
    await windowSeesNoSecret();
  });

  it('refuses on save what would not work, saying why, and stores nothing', async () => {
    const create = (type: string, fields: Record<string, string>) =>
      fixture.core.dispatch('credentials:create', { type, name: `Refused ${type}`, fields });
    const refusal = async (type: string, fields: Record<string, string>) => {
      const answer = await create(type, fields);
      if (!('error' in answer)) throw new Error(`${type} was saved`);
      return answer.error.message;
    };
    expect(await refusal('totp', { secret: 'JBSWY3DP' })).toContain(
      'a real one has at least 10 (16 base32 characters)',
    );
    expect(await refusal('jwt_key', { algorithm: 'RS256', key: EC_PEM })).toContain(
      'This is an EC P-256 key; RS256 needs an RSA key',
    );
    expect(
      await refusal('aws_access_key', {
        access_key_id: 'AKIAIOSFODNN7EXAMPLE',
        secret_access_key: AWS_SECRET,
        allowed_hosts: '*',
      }),
    ).toMatch(/allowed_hosts|host/i);
    const names = resultOf(await fixture.core.dispatch('credentials:list', {})).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('Refused'))).toEqual([]);
  });

  it('aws-sigv4: aws_sign at the core’s time equals botocore’s SigV4Auth', async () => {
    resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: 'aws_access_key',
        name: 'AWS read-only',
        fields: { access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: AWS_SECRET },
      }),
    );
    const request = {
      method: 'POST',
      url: 'https://sts.amazonaws.com/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      service: 'sts',
    };
    const answer = await run('aws-sigv4', 'sign', 'AWS read-only', request);
    const stamp = NOW.toISOString().replace(/[-:]|\.\d+/g, '');
    const theirs = JSON.parse(
      execFileSync('/usr/bin/python3', [join(here, 'botocore_sigv4.py')], {
        input: JSON.stringify({
          ...request,
          region: 'us-east-1',
          time: stamp,
          access_key: 'AKIAIOSFODNN7EXAMPLE',
          secret_key: AWS_SECRET,
        }),
        encoding: 'utf8',
      }),
    ) as Record<string, string>;
    expect(answer).toMatchObject({
      code: 0,
      data: { headers: { Authorization: theirs.Authorization, 'X-Amz-Date': stamp } },
    });
    await windowSeesNoSecret();
  });
});
