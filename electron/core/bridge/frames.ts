import { MAX_FRAME_BYTES, requestIdSchema, type RequestId } from '../../../shared/bridge-protocol';
import { LEADING_ID_SCAN, leadingId } from '../../../shared/rpc';

// Newline-delimited JSON framing, shared by the server and the client. The
// decoder never holds more than one frame's worth of bytes: a peer that sends
// a megabyte without a newline is cut off rather than buffered forever.

export type FrameError = {
  code: 'bad_frame' | 'frame_too_large';
  message: string;
  /** A too-large frame's request id, when its beginning names one. */
  id?: RequestId | null;
};

export type DecodedFrame = { ok: true; value: unknown } | { ok: false; error: FrameError };

const NEWLINE = 0x0a;

export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed = false;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  /**
   * Splits `chunk` into frames. After the first error it returns nothing more:
   * a stream that broke framing once cannot be trusted to be back in step.
   */
  push(chunk: Buffer): DecodedFrame[] {
    if (this.failed) return [];
    const frames: DecodedFrame[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.pending.push(chunk.subarray(start));
        this.pendingBytes += chunk.length - start;
        if (this.pendingBytes > this.maxBytes)
          frames.push(this.fail(tooLarge(this.maxBytes, this.pending)));
        return frames;
      }
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      if (line.length > this.maxBytes) {
        frames.push(this.fail(tooLarge(this.maxBytes, [line])));
        return frames;
      }
      const frame = this.decode(line);
      frames.push(frame);
      if (!frame.ok) return frames;
    }
    return frames;
  }

  private decode(line: Buffer): DecodedFrame {
    let text: string;
    try {
      text = this.utf8.decode(line);
    } catch {
      return this.fail({ code: 'bad_frame', message: 'The frame is not valid UTF-8.' });
    }
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return this.fail({ code: 'bad_frame', message: 'The frame is not valid JSON.' });
    }
  }

  private fail(error: FrameError): DecodedFrame {
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
    return { ok: false, error };
  }
}

function tooLarge(maxBytes: number, pieces: Buffer[]): FrameError {
  const head = Buffer.concat(pieces).subarray(0, LEADING_ID_SCAN).toString('utf8');
  const id = requestIdSchema.safeParse(leadingId(head));
  return {
    code: 'frame_too_large',
    message: `A frame may be at most ${maxBytes} bytes.`,
    id: id.success ? id.data : null,
  };
}

/** One message as a frame, or null if it would exceed the limit. */
export function encodeFrame(message: unknown, maxBytes = MAX_FRAME_BYTES): Buffer | null {
  const json = Buffer.from(JSON.stringify(message), 'utf8');
  if (json.length > maxBytes) return null;
  return Buffer.concat([json, Buffer.from([NEWLINE])]);
}
