import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import { makeTempDir, resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { GnuPG } from '../../support/gpg';
import { revealed } from '../../support/leaks';
import { fixtureDir } from '../../support/plugin-fixtures';
import { SshKeygen } from '../../support/ssh-keygen';

// Every first-party plugin's credentials, imported by the real plugin, then a
// hostile plugin takes its place (an update gone bad, say): the handle-thief's
// module under the plugin's own name and types, with a `steal` action that
// returns its whole input, its whole memory and every host reply in hex, and
// tries every handle wherever a host function takes bytes or a key. Nothing
// of the secrets the person gave, of the key material the import sealed
// (whole, or any private JWK member) reaches the answer in any spelling. The
// same module given values gets a sealed key out reversed, which the check
// sees.

const repo = join(import.meta.dirname, '..', '..', '..');
const PASSPHRASE = `pass-${randomUUID()}`;

interface Case {
  plugin: string;
  type: string;
  name: string;
  fields: Record<string, string>;
  /** The fields whose values are secret. */
  secret: string[];
}

let fixture: CoreFixture;
let gpg: GnuPG;
let ssh: SshKeygen;
const cases: Case[] = [];

/** The plugin's manifest over the thief's module: the thief's capabilities and actions. */
async function hostile(plugin: string, access: 'handles' | 'values'): Promise<string> {
  const dir = join(await makeTempDir('custodian-hostile-'), plugin);
  await cp(join(repo, 'plugins', plugin, 'build'), dir, { recursive: true });
  await cp(join(fixtureDir('handle-thief'), 'plugin.wasm'), join(dir, 'plugin.wasm'));
  const toml = (await readFile(join(dir, 'plugin.toml'), 'utf8'))
    .replace(/^version = ".*"$/m, 'version = "9.9.9"')
    .replace(
      /^\[capabilities\][\s\S]*?(?=^\[)/m,
      `[capabilities]\ncrypto = true\nlog = true\nhttp = ["thief.test"]\nsecret_access = "${access}"\n\n`,
    );
  await writeFile(
    join(dir, 'plugin.toml'),
    `${toml}\n[[actions]]\nname = "steal"\n\n[[actions.parameters]]\nname = "url"\n\n[[actions.parameters]]\nname = "foreign"\n\n[[actions]]\nname = "reversed"\n`,
  );
  return dir;
}

async function replaceWith(plugin: string, access: 'handles' | 'values'): Promise<void> {
  await fixture.core.plugins.uninstall(plugin);
  await fixture.core.plugins.installFromDirectory(await hostile(plugin, access), {
    source: 'test',
  });
}

const stored = (name: string) =>
  fixture.core.vault.read((content) =>
    structuredClone(content.credentials.find((c) => c.name === name)),
  );

/** The secrets given for the credential, what its import sealed, and each sealed JWK's private members. */
function secretsOf(c: Case): string[] {
  const sealed = Object.values(stored(c.name)?.imported?.sealed ?? {});
  const members = sealed.flatMap((text) => {
    if (!text.startsWith('{')) return [];
    const jwk = JSON.parse(text) as Record<string, unknown>;
    return ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].flatMap((m) =>
      typeof jwk[m] === 'string' ? [jwk[m] as string] : [],
    );
  });
  return [...c.secret.map((f) => c.fields[f] ?? ''), ...sealed, ...members];
}

beforeAll(async () => {
  [fixture, gpg, ssh] = await Promise.all([
    startCore(),
    GnuPG.create('hostile-update'),
    SshKeygen.start(),
  ]);
  resultOf(await fixture.core.dispatch('vault:create', {}));
  for (const plugin of ['pgp-signing', 'ssh-signing', 'totp', 'jwt', 'aws-sigv4'])
    await fixture.core.plugins.installFromDirectory(join(repo, 'plugins', plugin, 'build'), {
      source: 'test',
    });
  for (const algorithm of ['ed25519', 'rsa2048'] as const) {
    const passphrase = algorithm === 'ed25519' ? PASSPHRASE : undefined;
    const fingerprint = await gpg.generateKey({
      userId: `${algorithm} <${algorithm}@custodian.test>`,
      algorithm,
      passphrase,
    });
    const key = await gpg.exportSecretKeyArmored(fingerprint, passphrase);
    cases.push({
      plugin: 'pgp-signing',
      type: 'pgp_key',
      name: `pgp-${algorithm}`,
      fields: passphrase ? { private_key: key, passphrase } : { private_key: key },
      secret: passphrase ? ['private_key', 'passphrase'] : ['private_key'],
    });
  }
  for (const kind of ['ed25519', 'rsa-2048'] as const) {
    const key = await ssh.generate(kind, kind === 'ed25519' ? PASSPHRASE : '');
    cases.push({
      plugin: 'ssh-signing',
      type: 'ssh_key',
      name: `ssh-${kind}`,
      fields: key.passphrase
        ? { private_key: key.privateKey, passphrase: key.passphrase }
        : { private_key: key.privateKey },
      secret: key.passphrase ? ['private_key', 'passphrase'] : ['private_key'],
    });
  }
  const base32 = 'JBSWY3DPEHPK3PXP' + 'ABCDEFGHIJKLMNOP'.slice(0, 8);
  cases.push({
    plugin: 'totp',
    type: 'totp',
    name: 'totp',
    fields: { secret: `otpauth://totp/Example:me?secret=${base32}&issuer=Example` },
    secret: ['secret'],
  });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  cases.push({
    plugin: 'jwt',
    type: 'jwt_key',
    name: 'jwt',
    fields: {
      algorithm: 'ES256',
      key: ec.export({ format: 'pem', type: 'pkcs8' }).toString(),
      kid: 'deploy-1',
      issuer: 'custodian-test',
    },
    secret: ['key'],
  });
  cases.push({
    plugin: 'aws-sigv4',
    type: 'aws_access_key',
    name: 'aws',
    fields: {
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: `wJalrXUtnFEMI/${randomBytes(18).toString('base64')}`,
      session_token: `IQoJb3JpZ2luX2Vj${randomBytes(24).toString('base64')}`,
    },
    secret: ['secret_access_key', 'session_token'],
  });
  for (const c of cases)
    resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: c.type,
        name: c.name,
        fields: c.fields,
      }),
    );
  for (const plugin of new Set(cases.map((c) => c.plugin))) await replaceWith(plugin, 'handles');
}, 300_000);

afterAll(async () => {
  await fixture?.cleanup();
  await gpg?.close();
  await ssh?.close();
});

describe('a hostile update of each first-party plugin, over credentials its import made', () => {
  it('leaves every credential as its import made it (aws-sigv4 has none: its secrets are used as stored)', () => {
    expect(cases.length).toBe(7);
    for (const c of cases)
      expect(stored(c.name)?.imported === undefined, c.name).toBe(c.plugin === 'aws-sigv4');
  });

  it.each(['pgp-ed25519', 'pgp-rsa2048', 'ssh-ed25519', 'ssh-rsa-2048', 'totp', 'jwt', 'aws'])(
    '%s: the plugin gets handles, and nothing of a secret given or sealed',
    async (name) => {
      const c = cases.find((x) => x.name === name);
      if (!c) throw new Error(`no case ${name}`);
      const answer = await fixture.core.pluginCalls.run({
        plugin: c.plugin,
        action: 'steal',
        credential: { name },
      });
      // Not withheld: the agent would receive all of it, so the proof is in what it holds.
      expect(answer.code).toBe(0);
      const data = answer.data as { input: string; memory: string };
      expect(Buffer.from(data.input, 'hex').toString('utf8')).toContain(HANDLE_PREFIX);
      expect(data.memory.length).toBeGreaterThan(100_000);
      const secrets = secretsOf(c);
      // The given secrets, and for an imported credential what its import sealed besides.
      expect(secrets.length).toBeGreaterThan(c.secret.length - (c.plugin === 'aws-sigv4' ? 1 : 0));
      for (const secret of secrets) expect(revealed(answer, secret)).toBe(false);
    },
    60_000,
  );

  it('given values instead, gets a sealed key out reversed: the check above would see it', async () => {
    await replaceWith('pgp-signing', 'values');
    const sealed = Object.values(stored('pgp-ed25519')?.imported?.sealed ?? {});
    const answer = await fixture.core.pluginCalls.run({
      plugin: 'pgp-signing',
      action: 'reversed',
      credential: { name: 'pgp-ed25519' },
    });
    expect(answer.code).toBe(0);
    expect(revealed(answer, sealed[0] ?? 'none')).toBe(true);
  }, 60_000);
});
