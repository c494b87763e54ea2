import { describe, expect, it } from 'vitest';
import {
  cliFailure,
  envelopeErrorOf,
  EXIT,
  frameErrorOf,
  fromWireError,
  LOCKED,
  LOST,
  mcpErrorText,
  NO_VAULT,
  NOT_RUNNING,
  windowMessageOf,
  UNEXPECTED_IN_WINDOW,
} from '../../../shared/error-boundaries';
import { CustodianError, ERROR_CODES } from '../../../shared/errors';

// One mapper per boundary: each keeps a CustodianError's code and words, and
// turns anything else into `internal` without quoting its text (it may hold data).

const SECRET = 'sk-do-not-quote-4471';
const unexpected = () => new TypeError(`cannot read ${SECRET}`);

describe('the one code enum', () => {
  it('is lower-case snake_case throughout', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('round-trips an error with details through its wire shape', () => {
    const error = new CustodianError('invalid_input', 'Check "name".', {
      fields: { name: 'Required' },
    });
    const shape = JSON.parse(JSON.stringify(error.toShape())) as ReturnType<typeof error.toShape>;
    expect(shape).toEqual({
      code: 'invalid_input',
      message: 'Check "name".',
      fields: { name: 'Required' },
    });
    const back = CustodianError.fromShape(shape);
    expect(back).toMatchObject({ code: 'invalid_input', message: 'Check "name".' });
    expect(back.fields).toEqual({ name: 'Required' });
  });
});

describe('the IPC envelope', () => {
  it('carries a CustodianError as it is', () => {
    const error = new CustodianError('vault_locked', 'Custodian is locked.');
    expect(envelopeErrorOf(error, 'credentials:list')).toEqual({
      error: { code: 'vault_locked', message: 'Custodian is locked.' },
    });
  });

  it('answers an unexpected error as internal, naming where, quoting nothing, logging it', () => {
    const logged: unknown[] = [];
    const answer = envelopeErrorOf(unexpected(), 'credentials:list', (e) => logged.push(e));
    expect(answer.error.code).toBe('internal');
    expect(answer.error.message).toBe('credentials:list failed unexpectedly; see the app log.');
    expect(JSON.stringify(answer)).not.toContain(SECRET);
    expect(logged).toHaveLength(1);
  });

  it('shows the window a CustodianError’s words and nothing of another error', () => {
    expect(windowMessageOf(new CustodianError('not_found', 'No such credential.'))).toBe(
      'No such credential.',
    );
    expect(windowMessageOf(unexpected())).toBe(UNEXPECTED_IN_WINDOW);
  });
});

describe('the socket frame', () => {
  it('carries the code, message and details of a CustodianError', () => {
    const error = new CustodianError('refused', 'bad archive', { reason: 'path_traversal' });
    expect(frameErrorOf(error)).toEqual({
      code: 'refused',
      message: 'bad archive',
      reason: 'path_traversal',
    });
  });

  it('answers an unexpected error as internal without quoting it', () => {
    const body = frameErrorOf(unexpected());
    expect(body.code).toBe('internal');
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('reads a code this client does not know as internal, keeping the message', () => {
    const error = fromWireError({ code: 'newer_core_word', message: 'Something new.' });
    expect(error).toBeInstanceOf(CustodianError);
    expect(error).toMatchObject({ code: 'internal', message: 'Something new.' });
  });

  it('reads a known code with its details, and drops details of the wrong shape', () => {
    expect(
      fromWireError({ code: 'invalid_input', message: 'm', fields: { a: 'b' } }).fields,
    ).toEqual({ a: 'b' });
    const odd = fromWireError({
      code: 'not_found',
      message: 'm',
      fields: { evil: 1 },
    });
    expect(odd).toMatchObject({ code: 'not_found', details: undefined });
  });
});

describe('the MCP result', () => {
  const call = { tool: 'http_request', timeoutMs: 180_000 };
  it.each([
    ['vault_locked', LOCKED],
    ['vault_absent', NO_VAULT],
    ['not_connected', NOT_RUNNING],
    ['disconnected', LOST],
  ] as const)('tells the agent what to do for %s', (code, text) => {
    expect(mcpErrorText(new CustodianError(code, 'x'), call)).toBe(text);
  });

  it('names the tool and the deadline on a timeout', () => {
    expect(mcpErrorText(new CustodianError('timeout', 'x'), call)).toBe(
      'Custodian did not finish http_request within 180 s; try again.',
    );
  });

  it('passes any other refusal’s words on, with its fields', () => {
    const error = new CustodianError('invalid_input', 'Check the fields.', {
      fields: { name: 'Required' },
    });
    expect(mcpErrorText(error, call)).toBe(
      'Custodian could not run http_request: Check the fields. name: Required',
    );
  });

  it('says an unexpected error failed, quoting nothing of it', () => {
    const text = mcpErrorText(unexpected(), call);
    expect(text).toBe('Custodian could not run http_request: it failed unexpectedly.');
  });
});

describe('the command line', () => {
  it.each([
    ['usage', EXIT.usage],
    ['invalid_request', EXIT.usage],
    ['not_running', EXIT.notRunning],
    ['not_connected', EXIT.failed],
    ['vault_locked', EXIT.failed],
    ['refused', EXIT.failed],
    ['internal', EXIT.failed],
  ] as const)('exits with the status of its code: %s', (code, exitCode) => {
    expect(cliFailure(new CustodianError(code, 'words'))).toEqual({
      exitCode,
      stderr: 'custodian: words\n',
    });
  });

  it('prints each field’s message after the sentence', () => {
    const error = new CustodianError('name_taken', 'Taken.', { fields: { name: 'Used' } });
    expect(cliFailure(error).stderr).toBe('custodian: Taken. name: Used\n');
  });

  it('reports an unexpected error as a failure, quoting nothing of it', () => {
    const failure = cliFailure(unexpected());
    expect(failure.exitCode).toBe(EXIT.failed);
    expect(failure.stderr).toMatch(/^custodian: unexpected failure \(TypeError\)/);
    expect(failure.stderr).not.toContain(SECRET);
  });
});
