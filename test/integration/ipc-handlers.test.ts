import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/ipc/channels';
import { ipcContract, type Channel, type ResponseOf } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { resultOf, startCore, type CoreFixture } from '../support/core-fixture';

// The handler table that main's router and the headless core both serve,
// called the way a bypassed or hostile renderer would.

let fixture: CoreFixture;
let apiKeyId: string;
const SECRET = 'sk_test_do_not_leak_0123456789';

beforeAll(async () => {
  fixture = await startCore();
  resultOf(await fixture.core.dispatch('vault:create', {}));
  apiKeyId = resultOf(
    await fixture.core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'Example',
      fields: { key: SECRET, allowed_hosts: 'api.example.com' },
    }),
  ).id;
});
afterAll(() => fixture.cleanup());

// Typed for known channels; anything at all may be sent, as a hostile renderer could.
function call<C extends Channel>(channel: C, payload: unknown): Promise<Envelope<ResponseOf<C>>>;
function call(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
function call(channel: unknown, payload: unknown) {
  return fixture.core.dispatch(channel, payload);
}

describe('the IPC contract', () => {
  it('lists the same channels as its zod-free name list', () => {
    expect(Object.keys(ipcContract).sort()).toEqual([...CHANNELS].sort());
  });

  it('refuses an unknown channel', async () => {
    for (const channel of ['vault:explode', '__proto__', 'constructor', 42, null]) {
      const answer = await call(channel, {});
      expect(answer).toMatchObject({ error: { code: 'unknown_method' } });
    }
  });

  it('refuses malformed payloads with the path of the problem', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['credentials:get', { id: 'not-a-uuid' }, /id/],
      ['credentials:create', 'a string', /request/],
      [
        'credentials:create',
        { type: 'api_key', name: 'x', fields: { key: 'k-secret-1' }, sneaky: true },
        /sneaky|Unrecognized/,
      ],
      ['credentials:create', { type: 'api_key', name: '', fields: {} }, /name/],
      ['credentials:create', { type: 'api_key', name: 'bad\u0000name', fields: {} }, /name/],
      [
        'credentials:create',
        { type: 'api_key', name: 'x', fields: { key: { nested: 1 } } },
        /fields\.key/,
      ],
      ['vault:recover', { passphrase: 7 }, /passphrase/],
      ['settings:update', { autoLockMinutes: -1 }, /autoLockMinutes/],
      ['vault:status', { extra: 1 }, /Unrecognized|extra/],
    ];
    for (const [channel, payload, pattern] of cases) {
      const answer = await call(channel, payload);
      expect(answer, channel).toMatchObject({ error: { code: 'invalid_request' } });
      expect('error' in answer && answer.error.message).toMatch(pattern);
    }
  });

  it('enforces every field rule in main, whatever the form did', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'api_key', name: 'a', fields: {} }, 'key'],
      [
        { type: 'api_key', name: 'a', fields: { key: 'k-secret-1', header_name: 'Not A Header' } },
        'header_name',
      ],
      [{ type: 'api_key', name: 'a', fields: { key: 'k'.repeat(9000) } }, 'key'],
      [
        { type: 'api_key', name: 'a', fields: { key: 'k-secret-1', allowed_hosts: 'http://x/y' } },
        'allowed_hosts',
      ],
      [{ type: 'api_key', name: 'a', fields: { key: 'k-secret-1', unknown: 'x' } }, 'unknown'],
      [{ type: 'basic_auth', name: 'a', fields: { username: 'a:b', password: 'p' } }, 'username'],
      [{ type: 'secret_note', name: 'a', fields: { note: true } }, 'note'],
      [{ type: 'no_such_type', name: 'a', fields: {} }, 'type'],
    ];
    for (const [payload, field] of cases) {
      const answer = await call('credentials:create', payload);
      expect(answer, field).toMatchObject({ error: { code: 'invalid_input' } });
      expect('error' in answer && answer.error.fields?.[field], field).toBeTruthy();
    }
    const names = resultOf(await call('credentials:list', {})).map((c) => c.name);
    expect(names).toEqual(['Example']);
  });

  it('never sends a stored secret value back, and marks it as stored', async () => {
    const detail = resultOf(await call('credentials:get', { id: apiKeyId }));
    expect(detail.storedSecrets).toEqual(['key']);
    expect(detail.fields).toEqual({
      header_name: 'Authorization',
      header_prefix: 'Bearer ',
      allowed_hosts: 'api.example.com',
    });
    for (const channel of [
      'credentials:list',
      'credentials:get',
      'credentialTypes:list',
      'vault:status',
    ] as const) {
      const answer = await call(channel, channel === 'credentials:get' ? { id: apiKeyId } : {});
      // A boolean, so a failure never prints the secret.
      expect(JSON.stringify(answer).includes(SECRET), channel).toBe(false);
    }
  });

  it('updates a name and replaces a secret without revealing the old one', async () => {
    resultOf(
      await call('credentials:update', {
        id: apiKeyId,
        name: 'Renamed',
        fields: { key: 'new-secret-value' },
      }),
    );
    const stored = fixture.core.vault.read((c) => c.credentials.find((x) => x.id === apiKeyId));
    expect(stored?.name).toBe('Renamed');
    expect(stored?.fields.key).toBe('new-secret-value');
    // Leaving a secret out keeps it; an optional field can be cleared.
    resultOf(
      await call('credentials:update', {
        id: apiKeyId,
        description: 'd',
        clear: ['header_prefix'],
      }),
    );
    const after = fixture.core.vault.read((c) => c.credentials.find((x) => x.id === apiKeyId));
    expect(after?.fields.key).toBe('new-secret-value');
    expect(after?.fields.header_prefix).toBeUndefined();
    // An empty value clears an optional field rather than storing "".
    resultOf(await call('credentials:update', { id: apiKeyId, fields: { allowed_hosts: '' } }));
    const emptied = fixture.core.vault.read((c) => c.credentials.find((x) => x.id === apiKeyId));
    expect(emptied?.fields).not.toHaveProperty('allowed_hosts');
    // A required field cannot be cleared.
    const refused = await call('credentials:update', { id: apiKeyId, clear: ['key'] });
    expect(refused).toMatchObject({
      error: { code: 'invalid_input', fields: { key: 'Key is required' } },
    });
  });

  it('searches by name and filters by type', async () => {
    resultOf(
      await call('credentials:create', {
        type: 'secret_note',
        name: 'Backup codes',
        fields: { note: 'n' },
      }),
    );
    expect(resultOf(await call('credentials:list', { query: 'renam' })).map((c) => c.name)).toEqual(
      ['Renamed'],
    );
    expect(
      resultOf(await call('credentials:list', { type: 'secret_note' })).map((c) => c.name),
    ).toEqual(['Backup codes']);
    expect(resultOf(await call('credentials:list', { query: 'zzz' }))).toEqual([]);
    // The type's display name finds it too, as a person would type it.
    expect(
      resultOf(await call('credentials:list', { query: 'secret NOTE' })).map((c) => c.name),
    ).toEqual(['Backup codes']);
  });

  it('refuses duplicate names whatever their case, and unknown ids', async () => {
    expect(
      await call('credentials:create', {
        type: 'secret_note',
        name: 'backup CODES',
        fields: { note: 'n' },
      }),
    ).toMatchObject({ error: { code: 'name_taken' } });
    expect(
      await call('credentials:delete', { id: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers vault_locked for credential calls while locked, and a second create is refused', async () => {
    expect(await call('vault:create', {})).toMatchObject({ error: { code: 'vault_exists' } });
    resultOf(await call('vault:lock', {}));
    expect(await call('credentials:list', {})).toMatchObject({ error: { code: 'vault_locked' } });
    expect(resultOf(await call('vault:status', {})).state).toBe('locked');
    expect(resultOf(await call('vault:unlock', {})).state).toBe('unlocked');
  });
});
