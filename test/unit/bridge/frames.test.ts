import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../../electron/core/bridge/frames';

describe('FrameDecoder', () => {
  it('joins frames split across chunks and splits several in one chunk', () => {
    const decoder = new FrameDecoder(100);
    expect(decoder.push(Buffer.from('{"a":'))).toEqual([]);
    expect(decoder.push(Buffer.from('1}\n{"b":2}\n{"c"'))).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { b: 2 } },
    ]);
    expect(decoder.push(Buffer.from(':3}\n'))).toEqual([{ ok: true, value: { c: 3 } }]);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const decoder = new FrameDecoder(100);
    const bytes = Buffer.from('"é"\n');
    expect(decoder.push(bytes.subarray(0, 2))).toEqual([]);
    expect(decoder.push(bytes.subarray(2))).toEqual([{ ok: true, value: 'é' }]);
  });

  it('stops for good after the first error', () => {
    const decoder = new FrameDecoder(100);
    expect(decoder.push(Buffer.from('1\nnope\n2\n'))).toEqual([
      { ok: true, value: 1 },
      { ok: false, error: { code: 'bad_frame', message: 'The frame is not valid JSON.' } },
    ]);
    expect(decoder.push(Buffer.from('3\n'))).toEqual([]);
  });

  it('fails as soon as buffered bytes pass the limit, without a newline', () => {
    const decoder = new FrameDecoder(10);
    expect(decoder.push(Buffer.from('1234567890'))).toEqual([]);
    expect(decoder.push(Buffer.from('1'))).toMatchObject([
      { ok: false, error: { code: 'frame_too_large' } },
    ]);
  });

  it('refuses to encode a message over the limit', () => {
    expect(encodeFrame({ a: 'x'.repeat(20) }, 10)).toBeNull();
    expect(encodeFrame({ a: 1 })?.toString()).toBe('{"a":1}\n');
  });
});
