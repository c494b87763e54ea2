import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedCredential } from '../../../shared/credentials';
import type { Envelope } from '../../../shared/ipc/envelope';
import { HANDLE_PREFIX, type PluginResponse } from '../../../shared/plugin-abi';
import type { SecretHandle } from '../../../shared/plugin-host-protocol';
import { containsSecret } from '../../../electron/core/credentials/secret-scan';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// A headless core with a vault and the pgp-signing plugin, built from source
// (npm run plugins:build), installed the way the app installs it; keys are
// added as a person adds them: a credentials:create of type pgp_key.

export const PLUGIN = 'pgp-signing';
export const PLUGIN_BUILD = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'plugins',
  'pgp-signing',
  'build',
);

/** What each action answers in `data` (the contract of the pgp-signing plugin). */
export interface SignData {
  signature: string;
  fingerprint: string;
  key_id: string;
  hash: string;
  created: number | string;
}
export interface CleartextData {
  message: string;
  fingerprint: string;
  key_id: string;
}
export interface VerifyData {
  valid: boolean;
  fingerprint?: string;
  key_id?: string;
  created?: number | string;
  reason?: string;
}
export interface PublicKeyData {
  public_key: string;
  fingerprint: string;
}
export interface SubkeyInfo {
  fingerprint: string;
  key_id: string;
  algorithm: string;
  created: number | string;
  expires?: number | string | null;
  capabilities: string | string[];
  revoked?: boolean;
}
export interface KeyInfo extends SubkeyInfo {
  revoked: boolean;
  protected: boolean;
  user_ids: string[];
  subkeys: SubkeyInfo[];
}

/** What the import answers: the facts, the sealed JWK per signing key, the public key block. */
export interface ImportData {
  info: KeyInfo;
  sealed: Record<string, string>;
  public: Record<string, string>;
}

export interface Answer<T> {
  code: number;
  data?: T;
  error?: string | null;
}

export class PgpCore {
  private constructor(readonly fixture: CoreFixture) {}

  static async start(): Promise<PgpCore> {
    if (!existsSync(join(PLUGIN_BUILD, 'plugin.wasm')))
      throw new Error('plugins/pgp-signing is not built: run npm run plugins:build');
    const fixture = await startCore();
    resultOf(await fixture.core.dispatch('vault:create', {}));
    await fixture.core.plugins.installFromDirectory(PLUGIN_BUILD, { source: 'test' });
    return new PgpCore(fixture);
  }

  get core(): CoreFixture['core'] {
    return this.fixture.core;
  }

  /** credentials:create of a pgp_key, the envelope as it is (for refusals). */
  save(name: string, privateKey: string, passphrase?: string): Promise<Envelope<SavedCredential>> {
    return this.core.dispatch('credentials:create', {
      type: 'pgp_key',
      name,
      fields:
        passphrase === undefined
          ? { private_key: privateKey }
          : { private_key: privateKey, passphrase },
    });
  }

  /** Adds a key; answers the save, with the key_info the app shows. */
  async add(name: string, privateKey: string, passphrase?: string): Promise<SavedCredential> {
    return resultOf(await this.save(name, privateKey, passphrase));
  }

  /** The names of the stored credentials. */
  async names(): Promise<string[]> {
    return resultOf(await this.core.dispatch('credentials:list', {})).map((c) => c.name);
  }

  /** One action on a stored credential through main (core.pluginCalls.run). */
  async run<T>(
    action: string,
    credential: string,
    parameters: Record<string, unknown> = {},
  ): Promise<Answer<T>> {
    return (await this.core.pluginCalls.run({
      plugin: PLUGIN,
      action,
      credential: { name: credential },
      parameters,
    })) as PluginResponse as Answer<T>;
  }

  /** run(), failing with the plugin's code and message unless it answered code 0. */
  async ok<T>(
    action: string,
    credential: string,
    parameters: Record<string, unknown> = {},
  ): Promise<T> {
    const answer = await this.run<T>(action, credential, parameters);
    if (answer.code !== 0 || answer.data === undefined)
      throw new Error(`${action} answered ${answer.code}: ${answer.error}`);
    return answer.data;
  }

  /**
   * One action straight to the plugin host with fields that were never saved
   * (main's save check would refuse them): what the plugin itself says about a
   * key. As main does, the key is imported first (values in, context.import)
   * and the action then gets the import's public values and a handle to each
   * sealed key; a refused import is the answer. Parameters are given in full,
   * as main would after applying defaults. Each output is checked here for
   * the key, its passphrase and (after import) the sealed keys, as main does,
   * so that a leak fails the test without printing them.
   */
  async raw<T>(
    action: string,
    fields: { private_key: string; passphrase?: string },
    parameters: Record<string, unknown> = {},
    now = Math.floor(Date.now() / 1000),
  ): Promise<Answer<T>> {
    const given = [fields.private_key, ...(fields.passphrase ? [fields.passphrase] : [])];
    const imported = await this.hostCall<ImportData>('import_key', fields, {}, now, given, []);
    if (imported.code !== 0 || action === 'import_key') return imported as Answer<T>;
    const sealed = Object.entries(imported.data?.sealed ?? {}).map(([field, value]) => ({
      handle: `${HANDLE_PREFIX}${randomBytes(16).toString('hex')}`,
      field,
      value,
    }));
    const credential = {
      ...imported.data?.public,
      ...Object.fromEntries(sealed.map((s) => [s.field, s.handle])),
    };
    return this.hostCall<T>(
      action,
      credential,
      parameters,
      now,
      [...given, ...sealed.map((s) => s.value)],
      sealed,
    );
  }

  /** One call to the plugin host; `handles` empty means the import call. */
  private async hostCall<T>(
    action: string,
    credential: Record<string, string>,
    parameters: Record<string, unknown>,
    now: number,
    secrets: string[],
    handles: SecretHandle[],
  ): Promise<Answer<T>> {
    const plugin = this.core.plugins.get(PLUGIN);
    if (!plugin) throw new Error('pgp-signing is not loaded');
    const importing = action === 'import_key';
    const response = await this.core.pluginHost.call(
      PLUGIN,
      JSON.stringify({
        action,
        credential,
        parameters,
        context: importing ? { now, import: true } : { now },
      }),
      plugin.timeoutMs,
      undefined,
      handles,
      undefined,
      importing,
    );
    if (!response.ok)
      throw new Error(`the plugin host failed (${response.failure}): ${response.message}`);
    if (response.kind !== 'output') throw new Error(`the plugin host answered ${response.kind}`);
    const answer = JSON.parse(response.output) as Answer<T>;
    // What an import seals may hold the key; what it shows, and every other answer, may not.
    const shown = importing
      ? JSON.stringify([
          answer.error,
          (answer.data as ImportData | undefined)?.info,
          (answer.data as ImportData | undefined)?.public,
        ])
      : response.output;
    if (containsSecret(shown, secrets))
      throw new Error(`the plugin's answer to ${action} contained the key or its passphrase`);
    return answer;
  }

  async close(): Promise<void> {
    await this.fixture.cleanup();
  }
}

/** Parameters of sign as main passes them after defaults: for raw calls. */
export const SIGN_DEFAULTS = { encoding: 'text', armor: true, hash: 'sha256' } as const;

/** A fingerprint or key ID as upper-case hex without spaces. */
export function hex(value: unknown): string {
  return String(value).replace(/\s+/g, '').toUpperCase();
}

/** A time the plugin gives (Unix seconds, or an ISO 8601 string) in Unix seconds. */
export function unixOf(value: unknown): number | null {
  if (value === null || value === undefined || value === 0 || value === '') return null;
  if (typeof value === 'number') return value > 1e11 ? Math.floor(value / 1000) : value;
  const parsed = Date.parse(String(value));
  return Number.isNaN(parsed) ? NaN : Math.floor(parsed / 1000);
}

const CAPABILITY_LETTERS: Record<string, string> = {
  sign: 's',
  signing: 's',
  certify: 'c',
  certification: 'c',
  encrypt: 'e',
  encryption: 'e',
  encrypt_communications: 'e',
  encrypt_storage: 'e',
  authenticate: 'a',
  authentication: 'a',
};

/** Capabilities as sorted letters (as gpg lists them: s, c, e, a), from a string or a list. */
export function capabilityLetters(value: unknown): string {
  const letters = new Set<string>();
  if (Array.isArray(value)) {
    for (const item of value) {
      const word = String(item).toLowerCase();
      letters.add(CAPABILITY_LETTERS[word] ?? word.charAt(0));
    }
  } else {
    for (const ch of String(value).toLowerCase()) if ('scea'.includes(ch)) letters.add(ch);
  }
  return [...letters].sort().join('');
}

export const sortedLetters = (s: string): string => [...s].sort().join('');

/** Test data: 1 KiB of text with non-ASCII characters and line ends. */
export function sampleText(label = 'Custodian'): string {
  const line = `${label}: Grüße, ключ, 署名 — signed by the plugin\n`;
  let text = '';
  while (Buffer.byteLength(text + line) <= 1024) text += line;
  return text;
}

/** Every byte value, twice, shuffled deterministically: binary test data. */
export function sampleBytes(): Buffer {
  const bytes = Buffer.alloc(512);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 167 + 13) & 0xff;
  return bytes;
}

/** The same data with one byte changed. */
export function flipOneByte(data: Buffer, at = Math.floor(data.length / 2)): Buffer {
  const changed = Buffer.from(data);
  changed.writeUInt8(changed.readUInt8(at) ^ 0x01, at);
  return changed;
}
