import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_ICON_MAX_CHARS,
  catalogBodySchema,
  catalogIconSchema,
  type CatalogBody,
} from '../../../shared/catalog';
import {
  CatalogError,
  decodePublicKey,
  keyIdOf,
  rawPublicKey,
  signCatalog,
  verifyCatalog,
  type VerifyContext,
} from '../../../electron/core/store/catalog/catalog-signing';

// Catalog envelopes signed with keys made here: what verifyCatalog accepts,
// and the code and message of every refusal.

const ORIGIN = 'https://catalog.example.com/index.json';
const NOW = new Date('2026-11-22T00:00:00Z');

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: rawPublicKey(publicKey) };
}

function body(overrides: Partial<CatalogBody> = {}): string {
  return JSON.stringify({
    name: 'Test catalog',
    sequence: 5,
    expires: '2027-01-01T00:00:00Z',
    plugins: [
      {
        name: 'pgp',
        version: '1.2.0',
        description: 'Sign with PGP keys',
        author: 'Custodian',
        credential_types: [
          {
            name: 'pgp_key',
            display_name: 'PGP key',
            fields: [{ name: 'private_key', label: 'Private key', secret: true }],
          },
        ],
        tools: [{ name: 'pgp_sign', description: 'Sign a message' }],
        capabilities: { crypto: true, log: false, http: [] },
        archive: {
          url: 'https://catalog.example.com/pgp-1.2.0.tgz',
          size: 12345,
          sha256: 'a'.repeat(64),
        },
      },
    ],
    ...overrides,
  });
}

const context = (trustedKey: Buffer, extra: Partial<VerifyContext> = {}): VerifyContext => ({
  trustedKey,
  now: NOW,
  lastSequence: 0,
  origin: ORIGIN,
  ...extra,
});

function refusal(run: () => unknown): CatalogError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError');
}

function envelopeWith(text: string, change: (envelope: Record<string, unknown>) => void): string {
  const envelope = JSON.parse(text) as Record<string, unknown>;
  change(envelope);
  return JSON.stringify(envelope);
}

describe('keys', () => {
  it('derives the key id from sha256 of the raw key and round-trips raw keys', () => {
    const { raw } = keyPair();
    expect(keyIdOf(raw)).toMatch(/^[0-9a-f]{16}$/);
    expect(decodePublicKey(raw.toString('base64'))).toEqual(raw);
  });

  it('refuses a public key that is not 32 bytes of clean base64', () => {
    expect(refusal(() => decodePublicKey('AAAA')).code).toBe('malformed');
    expect(refusal(() => decodePublicKey(`${'A'.repeat(43)}!`)).code).toBe('malformed');
  });
});

describe('verifyCatalog', () => {
  const { privateKey, raw } = keyPair();

  it('accepts what signCatalog made and returns the body as signed', () => {
    const text = body();
    const envelope = signCatalog(text, privateKey);
    const { catalog, body: signed } = verifyCatalog(envelope, context(raw));
    expect(signed).toBe(text);
    expect(catalog).toEqual(catalogBodySchema.parse(JSON.parse(text)));
    expect(catalog.plugins[0]?.name).toBe('pgp');
    expect(JSON.parse(envelope)).toMatchObject({ format: 1, keyId: keyIdOf(raw) });
  });

  it('signs the exact bytes: the same JSON with other whitespace is refused', () => {
    const envelope = signCatalog(body(), privateKey);
    const reformatted = envelopeWith(envelope, (e) => {
      e.body = JSON.stringify(JSON.parse(e.body as string), null, 2);
    });
    expect(refusal(() => verifyCatalog(reformatted, context(raw))).code).toBe('bad_signature');
  });

  it('refuses a body with one byte changed', () => {
    const envelope = signCatalog(body(), privateKey);
    const tampered = envelopeWith(envelope, (e) => {
      e.body = (e.body as string).replace('"sequence":5', '"sequence":6');
    });
    const error = refusal(() => verifyCatalog(tampered, context(raw)));
    expect(error.code).toBe('bad_signature');
    expect(error.message).toBe(
      `The catalog from ${ORIGIN} has a signature that does not match key ${keyIdOf(raw)}: it was changed after signing or signed by someone else; the previous copy stays in use.`,
    );
  });

  it('refuses a signature made by another key that claims the trusted key id', () => {
    const other = keyPair();
    const forged = envelopeWith(signCatalog(body(), other.privateKey), (e) => {
      e.keyId = keyIdOf(raw);
    });
    expect(refusal(() => verifyCatalog(forged, context(raw))).code).toBe('bad_signature');
  });

  it('refuses a signature that is not 64 bytes', () => {
    const short = envelopeWith(signCatalog(body(), privateKey), (e) => {
      e.signature = Buffer.alloc(10).toString('base64');
    });
    expect(refusal(() => verifyCatalog(short, context(raw))).code).toBe('bad_signature');
  });

  it('refuses a catalog signed by a key the person did not add, naming both keys', () => {
    const other = keyPair();
    const error = refusal(() => verifyCatalog(signCatalog(body(), other.privateKey), context(raw)));
    expect(error.code).toBe('unknown_key');
    expect(error.message).toBe(
      `The catalog from ${ORIGIN} is signed by key ${keyIdOf(other.raw)}, which is not the key you added (${keyIdOf(raw)}); the previous copy stays in use.`,
    );
  });

  it('refuses a catalog past its expiry, and one expiring this very moment', () => {
    const expired = signCatalog(body({ expires: '2026-11-21T23:59:59Z' }), privateKey);
    const error = refusal(() => verifyCatalog(expired, context(raw)));
    expect(error.code).toBe('expired');
    expect(error.message).toContain('expired on 2026-11-21T23:59:59Z');
    expect(error.message).toContain('The previous copy stays in use.');
    const now = signCatalog(body({ expires: NOW.toISOString() }), privateKey);
    expect(refusal(() => verifyCatalog(now, context(raw))).code).toBe('expired');
  });

  it('refuses a lower sequence than the copy in use', () => {
    const older = signCatalog(body({ sequence: 4 }), privateKey);
    const error = refusal(() => verifyCatalog(older, context(raw, { lastSequence: 5 })));
    expect(error.code).toBe('rollback');
    expect(error.message).toContain('has sequence 4, lower than the copy in use (5)');
    expect(error.message).toContain('the previous copy stays in use');
  });

  it('refuses the same sequence with different contents', () => {
    const previous = body();
    const fork = signCatalog(body({ name: 'Other name' }), privateKey);
    const error = refusal(() =>
      verifyCatalog(fork, context(raw, { lastSequence: 5, lastBody: previous })),
    );
    expect(error.code).toBe('rollback');
    expect(error.message).toContain('the same as the copy in use but with different contents');
    // Without the previous body to compare, an equal sequence is refused too.
    expect(
      refusal(() =>
        verifyCatalog(signCatalog(previous, privateKey), context(raw, { lastSequence: 5 })),
      ).code,
    ).toBe('rollback');
  });

  it('accepts the very same catalog again (unchanged is not a rollback)', () => {
    const text = body();
    const again = verifyCatalog(
      signCatalog(text, privateKey),
      context(raw, { lastSequence: 5, lastBody: text }),
    );
    expect(again.catalog.sequence).toBe(5);
  });

  it('accepts a higher sequence', () => {
    const newer = signCatalog(body({ sequence: 6 }), privateKey);
    expect(verifyCatalog(newer, context(raw, { lastSequence: 5 })).catalog.sequence).toBe(6);
  });

  it('refuses envelopes that are not JSON or not envelopes', () => {
    for (const text of ['not json', '[]', '{"format":2}', JSON.stringify({ format: 1 })]) {
      const error = refusal(() => verifyCatalog(text, context(raw)));
      expect(error.code).toBe('malformed');
      expect(error.message).toMatch(/^The catalog from https:\/\/catalog\.example\.com/);
    }
    const extra = envelopeWith(signCatalog(body(), privateKey), (e) => {
      e.extra = true;
    });
    expect(refusal(() => verifyCatalog(extra, context(raw))).code).toBe('malformed');
  });

  it('refuses a signed body that is not JSON or not a valid catalog, after the signature', () => {
    const notJson = refusal(() => verifyCatalog(signCatalog('{nope', privateKey), context(raw)));
    expect(notJson.code).toBe('malformed');
    expect(notJson.message).toContain('body is not valid JSON');

    const cases: Record<string, unknown>[] = [
      { sequence: 0 },
      { sequence: 1.5 },
      { expires: 'tomorrow' },
      { plugins: [{ name: 'Bad Name' }] },
    ];
    for (const change of cases) {
      const text = JSON.stringify({ ...JSON.parse(body()), ...change });
      expect(refusal(() => verifyCatalog(signCatalog(text, privateKey), context(raw))).code).toBe(
        'malformed',
      );
    }
    const plugin = JSON.parse(body()).plugins[0];
    const badPlugins = [
      { ...plugin, version: '1.2' },
      { ...plugin, archive: { ...plugin.archive, url: 'http://insecure.example.com/a.tgz' } },
      { ...plugin, archive: { ...plugin.archive, sha256: 'xyz' } },
      { ...plugin, capabilities: { http: ['not a host!'] } },
    ];
    for (const bad of badPlugins) {
      const text = body({ plugins: [bad] });
      const error = refusal(() => verifyCatalog(signCatalog(text, privateKey), context(raw)));
      expect(error.code).toBe('malformed');
      expect(error.message).toContain('plugins.0.');
    }
    const duplicate = body({ plugins: [plugin, plugin] });
    expect(
      refusal(() => verifyCatalog(signCatalog(duplicate, privateKey), context(raw))).message,
    ).toContain('duplicate entry for pgp@1.2.0');
  });

  it('checks the signature before believing anything in the body', () => {
    // An unsigned claim of a higher sequence from another key is an unknown key, not accepted.
    const other = keyPair();
    const error = refusal(() =>
      verifyCatalog(
        signCatalog(body({ sequence: 99 }), other.privateKey),
        context(raw, { lastSequence: 5 }),
      ),
    );
    expect(error.code).toBe('unknown_key');
  });

  it('says what happens when asked to (adding a catalog)', () => {
    const error = refusal(() =>
      verifyCatalog(
        signCatalog(body({ expires: '2020-01-01T00:00:00Z' }), privateKey),
        context(raw, { outcome: 'the catalog was not added' }),
      ),
    );
    expect(error.message).toContain('The catalog was not added.');
  });
});

describe('a catalog entry’s icon', () => {
  const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;

  it('is an SVG or PNG data: URL of bounded size, or absent', () => {
    expect(catalogIconSchema.parse(svg)).toBe(svg);
    expect(catalogIconSchema.parse('data:image/png;base64,iVBORw0KGgo=')).toMatch(/^data:/);
    for (const hostile of [
      'https://tracker.example/pixel.svg',
      'javascript:alert(1)',
      `data:text/html;base64,${Buffer.from('<script>1</script>').toString('base64')}`,
      'data:image/svg+xml,<svg onload="alert(1)"/>',
      `data:image/svg+xml;base64,${'A'.repeat(CATALOG_ICON_MAX_CHARS)}`,
    ])
      expect(catalogIconSchema.safeParse(hostile).success, hostile.slice(0, 40)).toBe(false);
  });
});
