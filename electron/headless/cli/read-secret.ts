import { open } from 'node:fs/promises';
import { CustodianError } from '../../../shared/errors';
import { FIELD_VALUE_MAX_LENGTH } from '../../../shared/limits';
import { say } from './output';
import { terminal } from './terminal';

// Secret values come from a file or stdin, so they never sit in the shell's
// history or the process list. A file written by `echo` or an editor ends
// in a newline nobody meant as part of the secret: one is stripped.

/** UTF-8 takes at most 4 bytes a character; anything longer cannot be a field value. */
const MAX_BYTES = FIELD_VALUE_MAX_LENGTH * 4;

export async function readSecretFile(path: string, field: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CustodianError(
      'invalid_input',
      `cannot read the value of field "${field}" from ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new CustodianError(
        'invalid_input',
        `the value of field "${field}" must come from a file; ${path} is not one`,
      );
    if (stat.size > MAX_BYTES) throw tooLarge(field);
    return decode(await handle.readFile(), field);
  } finally {
    await handle.close();
  }
}

export async function readSecretStdin(
  field: string,
  stdin: NodeJS.ReadableStream = terminal().stdin,
): Promise<string> {
  // Typed at a terminal, the value is echoed as typed, but it stays out of the shell's history.
  if ((stdin as { isTTY?: boolean }).isTTY) say(`type the value of field "${field}", then Ctrl-D`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BYTES) throw tooLarge(field);
    chunks.push(buffer);
  }
  return decode(Buffer.concat(chunks), field);
}

function decode(bytes: Buffer, field: string): string {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CustodianError('invalid_input', `the value of field "${field}" is not UTF-8 text`);
  } finally {
    bytes.fill(0);
  }
  return text.replace(/\r?\n$/, '');
}

const tooLarge = (field: string) =>
  new CustodianError(
    'invalid_input',
    `the value of field "${field}" is longer than ${FIELD_VALUE_MAX_LENGTH} characters`,
  );
