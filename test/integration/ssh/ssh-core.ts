import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedCredential } from '../../../shared/credentials';
import type { Envelope } from '../../../shared/ipc/envelope';
import type { PluginResponse } from '../../../shared/plugin-abi';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import type { SshTestKey } from '../../support/ssh-keygen';

// A headless core with a vault and the ssh-signing plugin, built from source
// (npm run plugins:build) and installed the way the app installs it; keys are
// added as a person adds them (credentials:create of an ssh_key, which runs
// the plugin's import), and actions run through main with handles, as an
// agent's call does.

export const PLUGIN = 'ssh-signing';
export const PLUGIN_BUILD = join(import.meta.dirname, '..', '..', '..', 'plugins', PLUGIN, 'build');

/** What import shows about a key (the saved view's facts). */
export interface KeyFacts {
  public_key: string;
  fingerprint: string;
  type: string;
  bits: number;
  comment: string;
  protected: boolean;
}

export interface Answer<T> {
  code: number;
  data?: T;
  error?: string | null;
}

export class SshCore {
  private constructor(readonly fixture: CoreFixture) {}

  static async start(): Promise<SshCore> {
    if (!existsSync(join(PLUGIN_BUILD, 'plugin.wasm')))
      throw new Error('plugins/ssh-signing is not built: run npm run plugins:build');
    const fixture = await startCore();
    resultOf(await fixture.core.dispatch('vault:create', {}));
    await fixture.core.plugins.installFromDirectory(PLUGIN_BUILD, { source: 'test' });
    return new SshCore(fixture);
  }

  get core(): CoreFixture['core'] {
    return this.fixture.core;
  }

  /** credentials:create of an ssh_key, the envelope as it is (for refusals). */
  save(name: string, privateKey: string, passphrase = ''): Promise<Envelope<SavedCredential>> {
    return this.core.dispatch('credentials:create', {
      type: 'ssh_key',
      name,
      fields: passphrase ? { private_key: privateKey, passphrase } : { private_key: privateKey },
    });
  }

  /** Adds a key; answers the facts import found. */
  async add(name: string, key: SshTestKey): Promise<KeyFacts> {
    const saved = resultOf(await this.save(name, key.privateKey, key.passphrase));
    return saved.inspection as KeyFacts;
  }

  /** One action on a stored credential through main (handles, as for an agent). */
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

  async sign(
    credential: string,
    namespace: string,
    data: string | Buffer,
  ): Promise<Answer<{ signature: string }>> {
    const parameters =
      typeof data === 'string'
        ? { namespace, data, encoding: 'text' }
        : { namespace, data: data.toString('base64'), encoding: 'base64' };
    return this.run('sign', credential, parameters);
  }

  async close(): Promise<void> {
    await this.fixture.cleanup();
  }
}

/** The base64 lines of a private key file: a leak of any part of it shows as one of them. */
export function keyLines(privateKey: string): string[] {
  return privateKey
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}
