import { describe, expect, it } from 'vitest';
import { LEADING_ID_SCAN, leadingId } from '../../../shared/rpc';

describe('leadingId', () => {
  it('reads a number or string id from the beginning of a message cut short', () => {
    expect(leadingId('{"v":1,"id":42,"method":"tools:call","params":{"x":"aaa')).toBe(42);
    expect(leadingId('{"jsonrpc":"2.0", "id" : "req-\\"7\\"", "params":{')).toBe('req-"7"');
  });

  it('gives null for no id, a fraction, an unsafe number, or an id past the scan', () => {
    expect(leadingId('aaaa')).toBeNull();
    expect(leadingId('{"id":1.5}')).toBeNull();
    expect(leadingId('{"id":99999999999999999}')).toBeNull();
    expect(leadingId(`{"params":"${'a'.repeat(LEADING_ID_SCAN)}","id":3}`)).toBeNull();
  });
});
