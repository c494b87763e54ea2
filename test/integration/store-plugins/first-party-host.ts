import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretForms } from '../../../electron/core/credentials/secret-scan';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import type { SecretHandle } from '../../../shared/plugin-host-protocol';
import { HostProcess } from '../plugin-host/host-process';

// A first-party plugin (plugins/<name>/build, from npm run plugins:build) in
// the real plugin host, called the way main calls it: secret members of the
// credential as fresh handles beside the input, the values only in the host.
// For checking a plugin's own logic against a reference implementation at
// fixed times; the same plugins through a whole core are tested beside this.

const repo = join(import.meta.dirname, '..', '..', '..');

export interface Answer<T = Record<string, unknown>> {
  code: number;
  data: T;
  error: string | null;
}

export class FirstPartyHost {
  readonly host = new HostProcess();
  /** Every secret value a test handed the host, to check its output never held one. */
  readonly given: string[] = [];

  constructor(readonly plugin: string) {}

  async start(grants: { http?: { hosts: string[]; allowPrivate: string[] } } = {}): Promise<void> {
    await this.host.ready;
    const wasm = new Uint8Array(
      readFileSync(join(repo, 'plugins', this.plugin, 'build', 'plugin.wasm')),
    );
    const loaded = await this.host.load(this.plugin, {
      wasm,
      grants: { crypto: true, ...grants },
      limits: { timeoutMs: 10_000 },
    });
    if (!loaded.ok) throw new Error(`${this.plugin} did not load: ${JSON.stringify(loaded)}`);
  }

  /**
   * One action. `values`: members given as they are; `secrets`: members given
   * by handle (the value stays in the host). `now` in Unix seconds.
   */
  async call<T = Record<string, unknown>>(
    action: string,
    options: {
      values?: Record<string, string>;
      secrets?: Record<string, string>;
      parameters?: Record<string, unknown>;
      now?: number;
      secretHosts?: string[];
    } = {},
  ): Promise<Answer<T>> {
    const credential: Record<string, string> = { ...options.values };
    const handles: SecretHandle[] = [];
    for (const [field, value] of Object.entries(options.secrets ?? {})) {
      const handle = `${HANDLE_PREFIX}${randomBytes(16).toString('hex')}`;
      handles.push({ handle, field, value });
      credential[field] = handle;
      this.given.push(value);
    }
    const input = JSON.stringify({
      action,
      credential,
      parameters: options.parameters ?? {},
      context: { now: options.now ?? Math.floor(Date.now() / 1000) },
    });
    const answer = (await this.host.callJson(
      this.plugin,
      input,
      handles,
      options.secretHosts,
    )) as Answer<T>;
    const text = JSON.stringify(answer);
    for (const value of handles.map((h) => h.value))
      for (const form of secretForms(value))
        if (form.length >= 8 && text.includes(form))
          throw new Error(`${this.plugin}'s answer to ${action} held a secret it had by handle`);
    return answer;
  }

  /** Whether anything the host printed holds one of the secrets given. */
  printedASecret(): boolean {
    return this.given.some((value) =>
      secretForms(value).some((form) => form.length >= 8 && this.host.output.includes(form)),
    );
  }

  stop(): Promise<void> {
    return this.host.stop();
  }
}
