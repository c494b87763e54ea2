import { createPrivateKey, createPublicKey } from 'node:crypto';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPluginArchive } from '../../../electron/core/store/archive/read-archive';
import { parseCommandLine, UsageError } from '../../../electron/headless/cli/args';
import {
  parseSignature,
  SignatureError,
  verifyArchive,
} from '../../../electron/core/store/archive/signing';
import {
  decodePublicKey,
  keyIdOf,
  openCatalog,
} from '../../../electron/core/store/catalog/catalog-signing';
import { makeTempDir } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';
import { catalogEntry, packFixture } from '../../support/store-fixtures';
import { cli, stopServers, makeSandbox, type Outcome, type Sandbox } from './cli-harness';

// The author's side of the store, offline: a key pair, an archive packed from
// a built plugin, its .sig, and a signed catalog, each checked here with the
// store's own verifiers. No core runs; the private key never reaches output.

let sandbox: Sandbox;
let dir: string;
let privateKey: string;
let publicKey: string;
const outputs: Outcome[] = [];

beforeAll(async () => {
  sandbox = await makeSandbox();
  dir = await makeTempDir('custodian-author-');
});
afterAll(async () => {
  await stopServers();
  await sandbox?.cleanup();
});

async function run(args: readonly string[]): Promise<Outcome> {
  const out = await cli(sandbox, args);
  outputs.push(out);
  return out;
}

function expectNoPrivateKey(out: Outcome) {
  const text = out.stdout + out.stderr;
  expect(text).not.toContain('PRIVATE KEY');
  if (privateKey) {
    // The base64 lines of the PEM, any of which would leak key material.
    for (const line of privateKey.split('\n').filter((l) => l && !l.startsWith('-----')))
      expect(text.includes(line)).toBe(false);
  }
}

describe('plugin keygen', () => {
  it('writes PREFIX.key (0600, PKCS#8) and PREFIX.pub (raw base64), printing the id and public key', async () => {
    const out = await run(['plugin', 'keygen', '--out', join(dir, 'author')]);
    expect(out.code).toBe(0);
    privateKey = await readFile(join(dir, 'author.key'), 'utf8');
    publicKey = (await readFile(join(dir, 'author.pub'), 'utf8')).trimEnd();
    expect(privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(privateKey).asymmetricKeyType).toBe('ed25519');
    expect(await readFile(join(dir, 'author.pub'), 'utf8')).toBe(`${publicKey}\n`);
    const raw = decodePublicKey(publicKey);
    expect(raw.equals(decodePublicKey(publicKeyOf(privateKey)))).toBe(true);
    expect((await stat(join(dir, 'author.key'))).mode & 0o777).toBe(0o600);
    expect(out.stdout).toBe(`key id:     ${keyIdOf(raw)}\npublic key: ${publicKey}\n`);
    expect(out.stderr).toContain(`wrote ${join(dir, 'author.key')}`);
  });

  it('refuses to overwrite either half of an existing pair, and changes neither', async () => {
    const again = await run(['plugin', 'keygen', '--out', join(dir, 'author')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `custodian: ${join(dir, 'author.key')} already exists: refusing to overwrite it\n`,
    );
    expect(await readFile(join(dir, 'author.key'), 'utf8')).toBe(privateKey);

    // Only the .pub exists: still refused, and no .key appears beside it.
    await writeFile(join(dir, 'half.pub'), 'someone else’s\n');
    const half = await run(['plugin', 'keygen', '--out', join(dir, 'half')]);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain(`${join(dir, 'half.pub')} already exists`);
    await expect(stat(join(dir, 'half.key'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(dir, 'half.pub'), 'utf8')).toBe('someone else’s\n');
  });

  it('needs --out', async () => {
    const out = await run(['plugin', 'keygen']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('plugin keygen needs --out PREFIX');
  });
});

describe('plugin pack and plugin sign', () => {
  it('packs the built echo fixture into the archive the store packs, and prints what it holds', async () => {
    const archive = join(dir, 'echo.zip');
    const out = await run(['plugin', 'pack', fixtureDir('echo'), '--out', archive]);
    expect(out.code).toBe(0);
    const bytes = await readFile(archive);
    // Deterministic: the same bytes as the store's own packing of the same folder.
    expect(bytes.equals(await packFixture('echo'))).toBe(true);
    const { manifest, sha256 } = await readPluginArchive(bytes, { appVersion: '999.0.0' });
    expect(out.stdout).toContain(`packed:  echo ${manifest.plugin.version}\n`);
    expect(out.stdout).toContain(`size:    ${bytes.length} bytes\n`);
    expect(out.stdout).toContain(`sha256:  ${sha256}\n`);
  });

  it('signs it; the .sig verifies with the .pub content and not after a byte changes', async () => {
    const archive = join(dir, 'echo.zip');
    const out = await run(['plugin', 'sign', '--key', join(dir, 'author.key'), archive]);
    expect(out.code).toBe(0);
    const keyId = keyIdOf(decodePublicKey(publicKey));
    expect(out.stdout).toContain(`key id:    ${keyId}\n`);
    expect(out.stdout).toContain(`signature: ${archive}.sig\n`);
    const bytes = await readFile(archive);
    const signature = parseSignature(await readFile(`${archive}.sig`, 'utf8'));
    const pub = (await readFile(join(dir, 'author.pub'), 'utf8')).trim();
    expect(verifyArchive(bytes, signature, [pub])).toEqual({ keyId });

    const tampered = Buffer.from(bytes);
    const middle = Math.floor(tampered.length / 2);
    tampered[middle] = (tampered[middle] ?? 0) ^ 0x01;
    let code: string | undefined;
    try {
      verifyArchive(tampered, signature, [pub]);
    } catch (error) {
      code = error instanceof SignatureError ? error.code : 'other';
    }
    expect(code).toBe('bad_signature');
  });

  it('refuses to sign something that is not a plugin archive, and writes no .sig', async () => {
    const junk = join(dir, 'junk.zip');
    await writeFile(junk, 'not a zip at all');
    const out = await run(['plugin', 'sign', '--key', join(dir, 'author.key'), junk]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(`^custodian: ${escape(junk)} is not a plugin archive this app accepts: `),
    );
    await expect(stat(`${junk}.sig`)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a key file that is not a private key, naming it', async () => {
    const out = await run([
      'plugin',
      'sign',
      '--key',
      join(dir, 'author.pub'),
      join(dir, 'echo.zip'),
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${join(dir, 'author.pub')} is not a private key`);
    const missing = await run(['plugin', 'sign', '--key', join(dir, 'nope.key'), 'x.zip']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.key')} (the private key)`);
  });

  it('refuses to pack a folder with a stray file, naming it, and writes nothing', async () => {
    const folder = join(dir, 'stray');
    await cp(fixtureDir('echo'), folder, { recursive: true });
    await writeFile(join(folder, 'notes.txt'), 'left behind');
    const archive = join(dir, 'stray.zip');
    const out = await run(['plugin', 'pack', folder, '--out', archive]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${join(folder, 'notes.txt')}: a plugin archive holds only`);
    await expect(stat(archive)).rejects.toThrow(/ENOENT/);
  });
});

describe('catalog sign', () => {
  async function body(edit: (body: Record<string, unknown>) => void = () => {}) {
    const archive = await readFile(join(dir, 'echo.zip'));
    const content: Record<string, unknown> = {
      name: 'Author catalog',
      sequence: 3,
      expires: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      plugins: [await catalogEntry(archive, 'https://example.com/echo.zip')],
    };
    edit(content);
    return JSON.stringify(content, null, 2);
  }

  it('wraps a valid body in an envelope that opens with the .pub key', async () => {
    const bodyFile = join(dir, 'catalog.body.json');
    const text = await body();
    await writeFile(bodyFile, text);
    const envelope = join(dir, 'catalog.json');
    const out = await run([
      'catalog',
      'sign',
      '--key',
      join(dir, 'author.key'),
      bodyFile,
      '--out',
      envelope,
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('signed:  Author catalog (sequence 3, 1 plugin)\n');
    const opened = openCatalog(
      await readFile(envelope, 'utf8'),
      decodePublicKey(publicKey),
      'test',
    );
    expect(opened.body).toBe(text);
    expect(opened.catalog.plugins.map((p) => p.name)).toEqual(['echo']);
  });

  it('refuses an invalid body, naming the first field at fault, and writes nothing', async () => {
    const bodyFile = join(dir, 'bad.body.json');
    await writeFile(
      bodyFile,
      await body((b) => {
        const [entry] = b.plugins as { archive: { sha256: string } }[];
        if (entry) entry.archive.sha256 = 'not-a-hash';
      }),
    );
    const envelope = join(dir, 'bad.json');
    const out = await run([
      'catalog',
      'sign',
      '--key',
      join(dir, 'author.key'),
      bodyFile,
      '--out',
      envelope,
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(
        `^custodian: ${escape(bodyFile)} is not a valid catalog body: plugins\\.0\\.archive\\.sha256: `,
      ),
    );
    await expect(stat(envelope)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a body that is not JSON or has already expired', async () => {
    const notJson = join(dir, 'notjson.json');
    await writeFile(notJson, '{ name: ');
    const key = join(dir, 'author.key');
    const a = await run(['catalog', 'sign', '--key', key, notJson, '--out', join(dir, 'a.json')]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${notJson} is not valid JSON`);

    const expired = join(dir, 'expired.json');
    await writeFile(expired, await body((b) => (b.expires = '2020-01-01T00:00:00Z')));
    const b = await run(['catalog', 'sign', '--key', key, expired, '--out', join(dir, 'b.json')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('expires (2020-01-01T00:00:00Z) is in the past');
  });
});

describe('the store commands on the command line', () => {
  it('takes catalog refresh with or without an ID, and no more', () => {
    expect(parseCommandLine(['catalog', 'refresh'])).toMatchObject({
      command: 'catalog refresh',
      positionals: [],
    });
    expect(parseCommandLine(['catalog', 'refresh', 'abc'])).toMatchObject({
      positionals: ['abc'],
    });
    expect(() => parseCommandLine(['catalog', 'refresh', 'a', 'b'])).toThrow(UsageError);
  });

  it('parses install flags anywhere, and requires the target', () => {
    expect(
      parseCommandLine(['plugin', '--yes', 'install', 'x.zip', '--allow-unsigned']),
    ).toMatchObject({
      command: 'plugin install',
      options: { yes: true, 'allow-unsigned': true },
      positionals: ['x.zip'],
    });
    expect(() => parseCommandLine(['plugin', 'install'])).toThrow(
      /Usage: custodian plugin install ARCHIVE\|URL\|NAME/,
    );
    expect(() => parseCommandLine(['plugin', 'list', '--yes'])).toThrow(/Unknown option '--yes'/);
  });
});

describe('the private key', () => {
  it('appears in no command’s output, successes and refusals alike', () => {
    expect(privateKey).toContain('PRIVATE KEY');
    expect(outputs.length).toBeGreaterThan(10);
    for (const out of outputs) expectNoPrivateKey(out);
  });
});

function publicKeyOf(pem: string): string {
  const der = createPublicKey(pem).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
