import { describe, expect, it } from 'vitest';
import * as m from '../../../renderer/features/credentials/describe-inspection';

// The rules that turn a plugin's on_save answer (any JSON) into what the Saved
// view shows. The module is pure TypeScript, so it is tested on Node.

/** Dates marked, so the test does not depend on the machine's time zone and locale. */
const local = (iso: string) => `local(${iso})`;
const text = (value: string) => ({ kind: 'text', text: value });

const FINGERPRINT = '0123456789ABCDEF0123456789ABCDEF01234567';
const SUB_FINGERPRINT = 'FEDCBA9876543210FEDCBA9876543210FEDCBA98';
const KEY_INFO = {
  fingerprint: FINGERPRINT,
  key_id: '89ABCDEF01234567',
  algorithm: 'EdDSA (Ed25519)',
  created: '2026-11-22T05:00:00Z',
  expires: null,
  capabilities: ['certify', 'sign'],
  revoked: false,
  user_ids: ['A <a@example.org>'],
  subkeys: [
    {
      fingerprint: SUB_FINGERPRINT,
      key_id: 'FEDCBA98',
      algorithm: 'ECDH (Curve25519)',
      created: '2026-11-22T05:00:00Z',
      expires: '2028-11-21T05:00:00Z',
      capabilities: ['encrypt'],
      revoked: true,
    },
    { key_id: '0011223344556677', bits: 3072, capabilities: [] },
  ],
};

describe('describeInspection', () => {
  it('turns key_info into labelled rows: dates, Yes/No, —, lists, and a headed group per subkey', () => {
    expect(m.describeInspection(KEY_INFO, { formatDate: local })).toEqual([
      { label: 'Fingerprint', value: { kind: 'text', text: FINGERPRINT, code: true } },
      { label: 'Key ID', value: { kind: 'text', text: '89ABCDEF01234567', code: true } },
      { label: 'Algorithm', value: text('EdDSA (Ed25519)') },
      {
        label: 'Created',
        value: {
          kind: 'text',
          text: 'local(2026-11-22T05:00:00Z)',
          dateTime: '2026-11-22T05:00:00Z',
        },
      },
      { label: 'Expires', value: text('—') },
      { label: 'Capabilities', value: { kind: 'list', items: ['certify', 'sign'] } },
      { label: 'Revoked', value: text('No') },
      { label: 'User IDs', value: { kind: 'list', items: ['A <a@example.org>'] } },
      {
        label: 'Subkeys',
        value: {
          kind: 'groups',
          groups: [
            {
              heading: 'Subkey 1',
              rows: [
                {
                  label: 'Fingerprint',
                  value: { kind: 'text', text: SUB_FINGERPRINT, code: true },
                },
                // Eight hex digits are a short key ID, not a digest: plain text.
                { label: 'Key ID', value: text('FEDCBA98') },
                { label: 'Algorithm', value: text('ECDH (Curve25519)') },
                {
                  label: 'Created',
                  value: {
                    kind: 'text',
                    text: 'local(2026-11-22T05:00:00Z)',
                    dateTime: '2026-11-22T05:00:00Z',
                  },
                },
                {
                  label: 'Expires',
                  value: {
                    kind: 'text',
                    text: 'local(2028-11-21T05:00:00Z)',
                    dateTime: '2028-11-21T05:00:00Z',
                  },
                },
                { label: 'Capabilities', value: { kind: 'list', items: ['encrypt'] } },
                { label: 'Revoked', value: text('Yes') },
              ],
            },
            {
              heading: 'Subkey 2',
              rows: [
                { label: 'Key ID', value: { kind: 'text', text: '0011223344556677', code: true } },
                { label: 'Bits', value: text('3072') },
                { label: 'Capabilities', value: text('None') },
              ],
            },
          ],
        },
      },
    ]);
  });

  it('shows an ISO timestamp in local date and time by default, the same way the list does', () => {
    const [row] = m.describeInspection({ created: '2026-11-22T05:00:00Z' });
    const expected = new Intl.DateTimeFormat(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date('2026-11-22T05:00:00Z'));
    expect(row).toEqual({
      label: 'Created',
      value: { kind: 'text', text: expected, dateTime: '2026-11-22T05:00:00Z' },
    });
    expect(expected).not.toContain('2026-11-22T');
  });

  it('leaves strings that only look like dates, and bare dates, as they are', () => {
    const rows = m.describeInspection(
      { a: '2026-11-22', b: '2026-13-45T99:00:00Z', c: 'created 2026-11-22T05:00:00Z' },
      { formatDate: local },
    );
    expect(rows.map((row) => row.value)).toEqual([
      text('2026-11-22'),
      text('2026-13-45T99:00:00Z'),
      text('created 2026-11-22T05:00:00Z'),
    ]);
  });

  it('nests objects as rows, and reads the echo fixture’s answer as the Saved view shows it', () => {
    expect(
      m.describeInspection({
        action: 'echo',
        parameters: { mode: 'plain' },
        credential_fields: ['label', 'token'],
      }),
    ).toEqual([
      { label: 'Action', value: text('echo') },
      {
        label: 'Parameters',
        value: { kind: 'rows', rows: [{ label: 'Mode', value: text('plain') }] },
      },
      { label: 'Credential fields', value: { kind: 'list', items: ['label', 'token'] } },
    ]);
  });

  it('an answer that is not an object is one Result row', () => {
    expect(m.describeInspection('all good')).toEqual([
      { label: 'Result', value: text('all good') },
    ]);
    expect(m.describeInspection(true)).toEqual([{ label: 'Result', value: text('Yes') }]);
    expect(m.describeInspection(['x', 2, false, null])).toEqual([
      { label: 'Result', value: { kind: 'list', items: ['x', '2', 'No', '—'] } },
    ]);
  });

  it('empty values read as — or None; mixed lists and very deep values fall back to compact JSON', () => {
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    const rows = m.describeInspection({
      empty: '',
      nothing: {},
      mixed: ['a', { b: 1 }],
      deep,
      count: 0,
    });
    expect(rows[0]).toEqual({ label: 'Empty', value: text('—') });
    expect(rows[1]).toEqual({ label: 'Nothing', value: text('None') });
    expect(rows[2]).toEqual({ label: 'Mixed', value: { kind: 'list', items: ['a', '{"b":1}'] } });
    expect(rows[4]).toEqual({ label: 'Count', value: text('0') });
    // Four levels of rows, then JSON.
    let value = rows[3]?.value;
    const labels: string[] = [];
    while (value?.kind === 'rows') {
      labels.push(value.rows[0]?.label ?? '');
      value = value.rows[0]?.value;
    }
    expect(labels).toEqual(['A', 'B', 'C', 'D']);
    expect(value).toEqual({ kind: 'text', text: '{"e":{"f":1}}', code: true });
  });
});

describe('humaniseKey', () => {
  it.each([
    ['user_ids', 'User IDs'],
    ['key_id', 'Key ID'],
    ['created', 'Created'],
    ['credential_fields', 'Credential fields'],
    ['keyId', 'Key ID'],
    ['public-key-url', 'Public key URL'],
    ['sha256_fingerprint', 'SHA256 fingerprint'],
    ['ids', 'IDs'],
    ['v4', 'V4'],
    ['rsa_bits', 'RSA bits'],
    ['HTTPS', 'HTTPS'],
    ['_', '_'],
  ])('%s → %s', (key, label) => {
    expect(m.humaniseKey(key)).toBe(label);
  });
});

describe('hasInspection', () => {
  it('is false only for nothing at all', () => {
    expect(m.hasInspection(undefined)).toBe(false);
    expect(m.hasInspection(null)).toBe(false);
    expect(m.hasInspection(false)).toBe(true);
    expect(m.hasInspection({})).toBe(true);
  });
});
