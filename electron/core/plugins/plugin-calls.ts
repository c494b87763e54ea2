import { CustodianError } from '../../../shared/errors';
import { OUTPUT_CAP_BYTES } from '../../../shared/manifest';
import { RESPONSE_CODES, type PluginResponse } from '../../../shared/plugin-abi';
import type { StoredCredential } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import { checkParameters } from './parameters';
import type { PluginHostClient } from './plugin-host-client';
import type { PluginRegistry } from './plugin-registry';
import { containsSecret } from './secret-scan';
import { z } from 'zod';

export interface ActionCall {
  plugin: string;
  action: string;
  /** The credential by name or id; it must be of a type this plugin defines. */
  credential?: { id: string } | { name: string };
  parameters?: Record<string, unknown>;
}

const responseSchema = z.object({
  code: z.number().int(),
  data: z.unknown().optional(),
  error: z.string().nullable().optional(),
});

/**
 * Runs one plugin action: the checks main owns happen here, before and after
 * the plugin host. The plugin sees only the credential it was given, and only
 * when the credential is of one of its own types; what it answers is withheld
 * when it contains one of that credential's secrets.
 */
export class PluginCalls {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly host: PluginHostClient,
    private readonly vault: Vault,
    private readonly types: CredentialTypeRegistry,
  ) {}

  async run(call: ActionCall): Promise<PluginResponse> {
    const plugin = this.registry.get(call.plugin);
    if (!plugin)
      throw new CustodianError(
        'NOT_FOUND',
        `Plugin "${call.plugin}" is not installed, not enabled or did not load`,
      );
    const action = plugin.manifest.actions.find((a) => a.name === call.action);
    if (!action) {
      return {
        code: RESPONSE_CODES.invalidAction,
        error: `Plugin "${call.plugin}" has no action "${call.action}"`,
      };
    }
    const checked = checkParameters(action.parameters, call.parameters ?? {});
    if (!checked.ok) return { code: RESPONSE_CODES.invalidParameters, error: checked.message };

    const credential = call.credential
      ? this.credentialFor(
          call.credential,
          plugin.manifest.credential_types.map((t) => t.name),
          call.plugin,
        )
      : undefined;
    const secrets = credential ? this.secretValues(credential) : [];
    const input = JSON.stringify({
      action: action.name,
      credential: credential?.fields ?? {},
      parameters: checked.parameters,
    });
    const response = await this.host.call(plugin.name, input, plugin.timeoutMs);
    if (!response.ok) {
      return {
        code: RESPONSE_CODES.general,
        error: `Plugin "${plugin.name}" failed (${response.failure}): ${response.message}`,
      };
    }
    if (response.kind !== 'output')
      return { code: RESPONSE_CODES.general, error: 'The plugin host answered out of turn' };
    const output = response.output;
    if (Buffer.byteLength(output, 'utf8') > OUTPUT_CAP_BYTES) {
      return {
        code: RESPONSE_CODES.general,
        error: `Plugin "${plugin.name}" returned more than ${OUTPUT_CAP_BYTES} bytes; the output was refused`,
      };
    }
    if (containsSecret(output, secrets)) {
      return {
        code: RESPONSE_CODES.general,
        error: `Plugin "${plugin.name}" returned a secret of credential "${credential?.name}"; the output was withheld`,
      };
    }
    let parsed: z.infer<typeof responseSchema>;
    try {
      parsed = responseSchema.parse(JSON.parse(output));
    } catch {
      return {
        code: RESPONSE_CODES.general,
        error: `Plugin "${plugin.name}" did not answer with {code, data, error} JSON`,
      };
    }
    return { code: parsed.code, data: parsed.data, error: parsed.error ?? null };
  }

  private credentialFor(
    ref: { id: string } | { name: string },
    allowedTypes: string[],
    plugin: string,
  ): StoredCredential {
    const credential = this.vault.read((content) =>
      content.credentials.find((c) =>
        'id' in ref ? c.id === ref.id : c.name.toLowerCase() === ref.name.toLowerCase(),
      ),
    );
    const label = 'id' in ref ? ref.id : ref.name;
    if (!credential) throw new CustodianError('NOT_FOUND', `No credential "${label}"`);
    if (!allowedTypes.includes(credential.type)) {
      throw new CustodianError(
        'VALIDATION_FAILED',
        `Credential "${credential.name}" is of type ${credential.type}; plugin "${plugin}" only receives ${allowedTypes.join(', ') || 'no credentials'}`,
      );
    }
    return structuredClone(credential);
  }

  private secretValues(credential: StoredCredential): string[] {
    const type = this.types.get(credential.type);
    const secretNames = new Set(
      type?.fields.filter((f) => f.secret).map((f) => f.name) ?? Object.keys(credential.fields),
    );
    return Object.entries(credential.fields)
      .filter(([name, value]) => secretNames.has(name) && typeof value === 'string')
      .map(([, value]) => value as string);
  }
}
