import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../support/core-fixture';

// Everything in the vault file is encrypted, names and metadata included.

let fixture: CoreFixture | undefined;
afterAll(() => fixture?.cleanup());

const written = {
  names: ['Production Stripe', 'Grafana admin', 'Recovery codes for mail'],
  descriptions: ['billing webhook key', 'ops dashboard login', 'printed copy in the safe'],
  secrets: [
    'sk_live_51Habcdefghijklmnopqrstuv',
    'correct-horse-battery-staple',
    'code-1: 8842-1193\ncode-2: 5510-0027',
  ],
  other: ['grafana-operator', 'X-Stripe-Key', 'hooks.stripe.example'],
};

describe('the vault file', () => {
  it('holds no name, description, field value or secret in any readable encoding', async () => {
    fixture = await startCore();
    const { core } = fixture;
    resultOf(await core.dispatch('vault:create', {}));
    const [stripe, grafana, note] = written.names as [string, string, string];
    resultOf(
      await core.dispatch('credentials:create', {
        type: 'api_key',
        name: stripe,
        description: written.descriptions[0],
        fields: {
          key: written.secrets[0],
          header_name: written.other[1],
          allowed_hosts: written.other[2],
        },
      }),
    );
    resultOf(
      await core.dispatch('credentials:create', {
        type: 'basic_auth',
        name: grafana,
        description: written.descriptions[1],
        fields: { username: written.other[0], password: written.secrets[1] },
      }),
    );
    resultOf(
      await core.dispatch('credentials:create', {
        type: 'secret_note',
        name: note,
        description: written.descriptions[2],
        fields: { note: written.secrets[2] },
      }),
    );
    // A second save, so the backup holds content too.
    const [first] = resultOf(await core.dispatch('credentials:list', {}));
    if (!first) throw new Error('nothing was created');
    resultOf(
      await core.dispatch('credentials:update', { id: first.id, description: 'changed once' }),
    );
    resultOf(await core.dispatch('settings:update', { autoLockMinutes: 9 }));

    const stored = [
      ...written.names,
      ...written.descriptions,
      ...written.secrets,
      ...written.other,
      'changed once',
    ];
    const typeNames = ['api_key', 'basic_auth', 'secret_note'];
    // agent-tools.json is the tool list agents may see (issue 18), readable on
    // purpose; it names types only as the built-in tools' fixed examples do
    // ("e.g. api_key"), never what the vault holds.
    const needlesFor = (file: string) =>
      file === 'agent-tools.json' ? stored : [...stored, ...typeNames];
    // Every file the data folder holds (the plugins folder is empty here).
    const files = (await readdir(fixture.dataDir, { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name);
    expect(files).toContain('vault.cvlt');
    expect(files).toContain('vault.cvlt.bak');
    expect(files).toContain('agent-tools.json');
    for (const file of files) {
      const bytes = await readFile(join(fixture.dataDir, file));
      for (const needle of needlesFor(file)) {
        for (const encoded of [
          Buffer.from(needle),
          Buffer.from(needle, 'utf16le'),
          Buffer.from(Buffer.from(needle).toString('base64')),
          Buffer.from(Buffer.from(needle).toString('hex')),
        ]) {
          expect(bytes.includes(encoded), `${file} contains ${needle.slice(0, 3)}…`).toBe(false);
        }
      }
    }
  });
});
