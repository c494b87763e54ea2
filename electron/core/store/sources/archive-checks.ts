import type { Trust } from '../../../../shared/store';
import { checkImports, detectAbi, ModuleRefused } from '../../../../shared/wasm-imports';
import type { PluginAbi } from '../../../../shared/plugin-host-protocol';
import { isArchiveRefusal } from '../archive/errors';
import { readPluginArchive, type PluginArchive } from '../archive/read-archive';
import { parseSignature, SignatureError, verifyArchive } from '../archive/signing';
import type { Progress, SourceContext } from './archive-source';
import { CustodianError } from '../../../../shared/errors';

// The checks every archive source runs, whatever it came from: a download
// within its limits, every archive check, a signature judged against the
// keys of the catalogs the person trusts, and the module against what the
// plugin asks for. Each refusal says where the archive came from.

/** An archive may be 32 MiB: a slow link gets two minutes. */
const ARCHIVE_FETCH_TIMEOUT_MS = 120_000;

export async function download(
  context: SourceContext,
  url: string,
  maxBytes: number,
  where: string,
  progress?: Progress,
): Promise<Buffer> {
  let response;
  try {
    response = await context.fetch(url, {
      maxBytes,
      timeoutMs: ARCHIVE_FETCH_TIMEOUT_MS,
      onProgress: (received, declared) => progress?.(received, declared ?? maxBytes),
    });
  } catch (error) {
    throw new CustodianError(
      'refused',
      `Could not download ${where}: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (response.status !== 200)
    throw new CustodianError(
      'refused',
      `Could not download ${where}: the server answered HTTP ${response.status}.`,
    );
  return response.body;
}

export async function readArchive(
  context: SourceContext,
  bytes: Buffer,
  where: string,
  expected: { expectedSize?: number; expectedSha256?: string },
): Promise<PluginArchive> {
  try {
    return await readPluginArchive(bytes, { appVersion: context.appVersion, ...expected });
  } catch (error) {
    if (isArchiveRefusal(error))
      throw new CustodianError(
        'refused',
        `${where}: ${error.message}; nothing was installed.`,
        error.details,
      );
    throw error;
  }
}

/**
 * A signature by a trusted key vouches for a file; no signature, or one by a
 * key nobody trusts, leaves it unsigned (the person may still confirm). A
 * signature that does not match is refused outright: the file was changed.
 */
export async function judgeSignature(
  context: SourceContext,
  bytes: Buffer,
  text: string | null,
  where: string,
): Promise<Trust> {
  if (text === null) return { kind: 'unsigned', reason: `there is no signature at ${where}` };
  const keys = await context.catalogs.trustedKeys();
  try {
    const { keyId } = verifyArchive(
      bytes,
      parseSignature(text),
      keys.map((k) => k.publicKey),
    );
    const catalogName = keys.find((k) => k.keyId === keyId)?.catalogName ?? keyId;
    return { kind: 'signed', keyId, catalogName };
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    if (error.code === 'unknown_key')
      return { kind: 'unsigned', reason: `${error.message} by any catalog you added` };
    throw new CustodianError('refused', `${where}: ${error.message}; nothing was installed.`);
  }
}

/** The module must compile and import only what the plugin asks for (and will be granted); answers its ABI. */
export function checkModule(archive: PluginArchive): PluginAbi {
  const { manifest } = archive;
  const wasm = archive.files.get(manifest.plugin.wasm_module);
  try {
    if (!wasm) throw new ModuleRefused('invalid_module', 'the module is missing');
    const module = new WebAssembly.Module(wasm);
    const abi = detectAbi(module);
    checkImports(module, abi, {
      crypto: manifest.capabilities.crypto,
      log: manifest.capabilities.log,
      http: manifest.capabilities.http.length > 0,
    });
    return abi;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CustodianError(
      'refused',
      `${manifest.plugin.name} ${manifest.plugin.version}: ${why}; nothing was installed.`,
    );
  }
}
