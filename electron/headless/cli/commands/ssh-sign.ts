import { spawn } from 'node:child_process';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { CustodianError } from '../../../../shared/errors';
import { readKeygenArgs } from '../ssh/keygen-args';
import { readPublicKey } from '../ssh/public-key-file';
import { connectSigner } from '../ssh/agent-signer';
import { terminal } from '../terminal';

// `custodian ssh-sign` (also the `custodian-ssh-sign` launcher), for git's
// gpg.ssh.program: `-Y sign -n NAMESPACE -f KEYFILE FILE…` signs each FILE
// through the running Custodian with the stored key whose public key KEYFILE
// holds, writing FILE.sig (or, for -, reading stdin and writing the signature
// to stdout), as ssh-keygen does. Every other invocation runs the system's
// ssh-keygen with the same arguments. No key is ever written anywhere.

/** Larger than any commit or tag git signs; a file beyond it is refused before anything is sent. */
const DATA_MAX = 16 * 1_048_576;
const KEY_FILE_MAX = 64 * 1024;

export async function sshSign(dataDir: string, argv: readonly string[]): Promise<number> {
  const invocation = readKeygenArgs(argv);
  if (invocation.kind === 'other') return runSystemKeygen(argv);
  const key = readPublicKey(await readSmall(invocation.keyFile, KEY_FILE_MAX), invocation.keyFile);
  const signer = await connectSigner(dataDir);
  try {
    const credential = await signer.findCredential(key);
    for (const file of invocation.files) {
      const data = file === '-' ? await readStdin() : await readSmall(file, DATA_MAX, 'buffer');
      const signature = await signer.sign(credential, invocation.namespace, data);
      if (file === '-') terminal().stdout.write(signature);
      else await writeSignature(`${file}.sig`, signature);
    }
  } finally {
    await signer.close();
  }
  return 0;
}

async function readSmall(path: string, max: number): Promise<string>;
async function readSmall(path: string, max: number, as: 'buffer'): Promise<Buffer>;
async function readSmall(path: string, max: number, as?: 'buffer'): Promise<string | Buffer> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new CustodianError('not_found', `Cannot read ${path} (${code})`);
  }
  if (data.length > max)
    throw new CustodianError('invalid_input', `${path} is larger than ${max} bytes`);
  return as === 'buffer' ? data : data.toString('utf8');
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of terminal().stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > DATA_MAX)
      throw new CustodianError('invalid_input', `stdin is larger than ${DATA_MAX} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Whole or not at all: git reads FILE.sig as soon as the program exits. */
async function writeSignature(path: string, signature: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, signature, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new CustodianError('storage_failed', `Cannot write ${path} (${code})`);
  }
}

/** ssh-keygen with the same arguments and streams; its exit status is ours. */
function runSystemKeygen(argv: readonly string[]): Promise<number> {
  const { stdin, stdout, stderr, env } = terminal();
  return new Promise((resolve, reject) => {
    const child = spawn('ssh-keygen', [...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => stdout.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk.toString()));
    // ssh-keygen may exit without reading all of stdin (or any of it).
    child.stdin.on('error', () => {});
    stdin.pipe(child.stdin);
    child.on('error', (error: NodeJS.ErrnoException) => {
      stdin.unpipe(child.stdin);
      reject(
        new CustodianError(
          'not_found',
          error.code === 'ENOENT'
            ? 'ssh-keygen was not found on PATH: custodian ssh-sign runs it for every -Y operation but sign (install OpenSSH)'
            : `ssh-keygen could not be started (${error.code ?? 'an error'})`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      stdin.unpipe(child.stdin);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
