import { describe, expect, it } from 'vitest';
import { parseServerMessage, serverMessageSchema } from '../../../shared/bridge-protocol';

// parseServerMessage checks a frame against the schema its shape names rather
// than the whole union (issue 17): it must accept and refuse exactly what the
// union does, whatever a server (or something posing as one) sends.

const v = 1;
const nonce = 'a'.repeat(64);
const SAMPLES: unknown[] = [
  { v, id: 1, result: { content: [] } },
  { v, id: 'x', result: null },
  { v, id: 1 },
  { v, id: 1, result: 1, extra: true },
  { v, id: 1, result: 1, error: { code: 'internal', message: 'm' } },
  { v, id: null, error: { code: 'internal', message: 'm' } },
  { v, id: 2, error: { code: '', message: 'm' } },
  { v, type: 'challenge', nonce },
  { v, type: 'challenge', nonce: 'short' },
  { v, type: 'welcome', server: { version: '1.0.0' } },
  { v, type: 'welcome', server: { version: '1.0.0' }, result: 1 },
  { v, type: 'event', event: 'tools:changed', data: {} },
  { v, type: 'nonsense' },
  { v, type: 7, result: 1 },
  { v: 2, id: 1, result: 1 },
  { id: 1, result: 1 },
  [],
  [{ v, id: 1, result: 1 }],
  null,
  'result',
  42,
];

describe('a server frame checked by its shape', () => {
  it.each(SAMPLES.map((sample) => [JSON.stringify(sample), sample]))(
    'agrees with the union on %s',
    (_shown, sample) => {
      const union = serverMessageSchema.safeParse(sample);
      const shaped = parseServerMessage(sample);
      expect(shaped.success).toBe(union.success);
      if (union.success && shaped.success) expect(shaped.data).toEqual(union.data);
    },
  );
});
