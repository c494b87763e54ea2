import { CustodianError } from '../../../../shared/errors';

// The arguments git gives `gpg.ssh.program`, read as ssh-keygen reads them
// (getopt: flags may be grouped, a value may follow its letter or be the next
// word). Only `-Y sign` is ours; any other invocation goes to the system's
// ssh-keygen untouched, so verify, find-principals and check-novalidate keep
// OpenSSH's own behaviour.
//
// git signs with: -Y sign -n NAMESPACE -f KEYFILE [-U] FILE
// (-U since git 2.41 when the key is given literally: "the key is in an
// agent", which Custodian is). -O hashalg=sha512 is what we make anyway.

export type KeygenInvocation =
  { kind: 'sign'; namespace: string; keyFile: string; files: string[] } | { kind: 'other' };

/** ssh-keygen's options that take a value (from its getopt string); the rest are flags. */
const TAKES_VALUE = new Set([...'abCDEfGIJjKMmNnOPrSsTtVwYZz']);
/** The flags `-Y sign` may be given; anything else there is refused by name. */
const SIGN_FLAGS = new Set(['U', 'q', 'v']);

export function readKeygenArgs(argv: readonly string[]): KeygenInvocation {
  const options: { letter: string; value?: string | undefined }[] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      operands.push(word);
      continue;
    }
    for (let at = 1; at < word.length; at++) {
      const letter = word.charAt(at);
      if (!TAKES_VALUE.has(letter)) {
        options.push({ letter });
        continue;
      }
      let value: string | undefined = word.slice(at + 1);
      if (value === '') {
        i++;
        // Only -Y sign is ours to refuse; ssh-keygen says what it thinks of the rest.
        value = i < argv.length ? (argv[i] ?? '') : undefined;
      }
      options.push({ letter, value });
      break;
    }
  }
  const operation = options.filter((o) => o.letter === 'Y').map((o) => o.value);
  if (operation.length !== 1 || operation[0] !== 'sign') return { kind: 'other' };

  let namespace: string | undefined;
  let keyFile: string | undefined;
  for (const { letter, value } of options) {
    if (letter === 'Y' || SIGN_FLAGS.has(letter)) continue;
    if (value === undefined) throw usage(`-${printable(letter)} needs a value`);
    if (letter === 'n') namespace = value;
    else if (letter === 'f') keyFile = value;
    else if (letter === 'O') signOption(value);
    else throw usage(`-Y sign does not take -${printable(letter)} here`);
  }
  if (!namespace) throw usage('-Y sign needs a namespace: -n NAMESPACE (git passes -n git)');
  if (!keyFile) throw usage('-Y sign needs the public key: -f KEYFILE');
  if (operands.length === 0) throw usage('-Y sign needs the file to sign (or - for stdin)');
  return { kind: 'sign', namespace, keyFile, files: operands };
}

/** -O hashalg=sha512 is what Custodian makes; other hashes and options are refused, not ignored. */
function signOption(value: string): void {
  if (value === 'hashalg=sha512') return;
  throw usage(
    `-O ${printable(value)} is not supported by custodian ssh-sign (it signs with hashalg=sha512)`,
  );
}

function usage(message: string): CustodianError {
  return new CustodianError('usage', `ssh-sign: ${message}`);
}

/** A word from the command line, safe to echo. */
function printable(word: string): string {
  return word.replace(/\p{C}/gu, '?').slice(0, 60);
}
