import { Failure } from './failure';

// A plugin's output must fit its output limit and be UTF-8 text.

const decoder = new TextDecoder('utf-8', { fatal: true });

export function checkOutputSize(length: number, outputBytes: number): void {
  if (length > outputBytes)
    throw new Failure(
      'output_too_large',
      `the plugin returned ${length} bytes, more than its output limit of ${outputBytes} bytes`,
    );
}

export function decodeOutput(bytes: Uint8Array, outputBytes: number): string {
  checkOutputSize(bytes.byteLength, outputBytes);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Failure('error', 'the plugin returned output that is not UTF-8 text');
  }
}
