import { z } from 'zod';
import { CustodianError } from '../../../shared/errors';
import type { FieldValues } from '../../../shared/fields';
import { OUTPUT_CAP_BYTES, type PluginAction } from '../../../shared/manifest';
import {
  RESPONSE_CODES,
  type PluginRequest,
  type PluginResponse,
} from '../../../shared/plugin-abi';
import {
  findCredentialRef,
  storedCredential,
  type CredentialRef,
} from '../credentials/credential-lookup';
import { secretValuesOf } from '../credentials/secret-values';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import type { StoredCredential } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import { checkParameters } from './parameters';
import { credentialForPlugin, secretAccessOf } from './secret-handles';
import type { PluginHostClient } from './plugin-host-client';
import type { LoadedPlugin, PluginRegistry } from './plugin-registry';
import { containsSecret } from '../credentials/secret-scan';
import type { Inspection } from '../credentials/credential-service';
import { importEntryOf } from '../../../shared/fields';
import { readImportAnswer } from './import-answer';

export interface ActionCall {
  plugin: string;
  action: string;
  /** The credential by name or id; it must be of a type this plugin defines. */
  credential?: { id: string } | { name: string };
  parameters?: Record<string, unknown>;
}

/**
 * An action call with its plugin, action and credential already looked up (the
 * tool catalog resolves an agent's call once, before the policy and the
 * person see it); run() executes it without looking them up again. What it
 * asks for reads as a plain ActionCall, the credential by its stored name;
 * what it resolved to stays inside. Made only through this constructor, which
 * holds the rule that a plugin receives only credentials of its own types.
 */
export class ResolvedActionCall implements ActionCall {
  readonly plugin: string;
  readonly action: string;
  readonly credential?: { name: string };
  readonly parameters: Record<string, unknown>;
  readonly #target: Readonly<{
    plugin: LoadedPlugin;
    action: PluginAction;
    credential: CredentialRef | undefined;
  }>;

  constructor(
    plugin: LoadedPlugin,
    action: PluginAction,
    credential: CredentialRef | undefined,
    parameters: Record<string, unknown>,
  ) {
    if (credential) {
      const allowedTypes = plugin.manifest.credential_types.map((t) => t.name);
      if (!allowedTypes.includes(credential.type)) {
        throw new CustodianError(
          'invalid_input',
          `Credential "${credential.name}" is of type ${credential.type}; plugin "${plugin.name}" only receives ${allowedTypes.join(', ') || 'no credentials'}`,
        );
      }
    }
    this.plugin = plugin.name;
    this.action = action.name;
    if (credential) this.credential = { name: credential.name };
    this.parameters = parameters;
    this.#target = { plugin, action, credential };
  }

  /** The loaded plugin, its action and the credential (id, name, type) this call resolved to. */
  get target() {
    return this.#target;
  }
}

const responseSchema = z.object({
  code: z.number().int(),
  data: z.unknown().optional(),
  error: z.string().nullable().optional(),
});

/**
 * Runs plugin actions: the checks main owns happen here, before and after the
 * plugin host. A plugin sees only the credential it was given, and only when
 * the credential is of one of its own types; what it answers is withheld when
 * it contains one of that credential's secrets.
 */
export class PluginCalls {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly host: PluginHostClient,
    private readonly vault: Vault,
    private readonly types: CredentialTypeRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Runs an action: a call by name is looked up here, a ResolvedActionCall as it was resolved.
   * Aborting `signal` withdraws the call: not yet started, it never starts; running, it is stopped.
   */
  async run(call: ActionCall, signal?: AbortSignal): Promise<PluginResponse> {
    const resolved = call instanceof ResolvedActionCall ? call : this.resolve(call);
    if (!(resolved instanceof ResolvedActionCall)) return resolved;
    const { plugin, action, credential } = resolved.target;
    // Resolved earlier (before the person approved it, say): a plugin loaded
    // since may define other types and actions than the ones checked then.
    if (resolved === call && this.registry.get(plugin.name)?.manifest !== plugin.manifest) {
      return {
        code: RESPONSE_CODES.general,
        error: `Plugin "${plugin.name}" was turned off or changed while the call waited; the call was not sent to it`,
      };
    }
    return this.execute(
      plugin,
      action,
      resolved.parameters,
      credential ? this.credentialFields(credential) : undefined,
      signal,
    );
  }

  private resolve(call: ActionCall): ResolvedActionCall | PluginResponse {
    const plugin = this.registry.get(call.plugin);
    if (!plugin) {
      throw new CustodianError(
        'not_found',
        `Plugin "${call.plugin}" is not installed, not enabled or did not load`,
      );
    }
    const action = plugin.manifest.actions.find((a) => a.name === call.action);
    if (!action) {
      return {
        code: RESPONSE_CODES.invalidAction,
        error: `Plugin "${call.plugin}" has no action "${call.action}"`,
      };
    }
    let credential: CredentialRef | undefined;
    if (call.credential) {
      const ref = call.credential;
      credential = findCredentialRef(this.vault, ref);
      const label = 'id' in ref ? ref.id : ref.name;
      if (!credential) throw new CustodianError('not_found', `No credential "${label}"`);
    }
    return new ResolvedActionCall(plugin, action, credential, call.parameters ?? {});
  }

  /**
   * Runs the import entry of a plugin credential type over fields about to be
   * saved, with the person present: the plugin gets the values (whatever its
   * secret_access), no network and no log. Types without one (built-ins among
   * them) pass unchecked.
   */
  async importFields(
    typeName: string,
    name: string,
    fields: FieldValues,
  ): Promise<Inspection | undefined> {
    const type = this.types.get(typeName);
    const action = type && importEntryOf(type);
    if (!action) return undefined;
    const plugin = this.registry.pluginForType(typeName);
    const definition = plugin?.manifest.actions.find((a) => a.name === action);
    if (!plugin || !definition)
      return {
        ok: false,
        message: `The plugin for ${typeName} is not loaded, so the credential cannot be checked`,
      };
    const credential = { name, type: typeName, fields };
    const response = await this.execute(plugin, definition, {}, credential, undefined, true);
    if (response.code !== RESPONSE_CODES.ok)
      return { ok: false, message: response.error ?? `The plugin refused this ${typeName}` };
    const answer = readImportAnswer(response.data, type, type.import === undefined);
    if (typeof answer === 'string')
      return { ok: false, message: `Plugin "${plugin.name}": ${answer}` };
    // What is shown or kept in the open must hold none of the secrets, given or sealed.
    const secrets = [...secretValuesOf(credential, this.types), ...Object.values(answer.sealed)];
    if (containsSecret(JSON.stringify([answer.info ?? null, answer.public]), secrets))
      return {
        ok: false,
        message: `Plugin "${plugin.name}" put a secret into what its import shows or keeps in the open; nothing was saved`,
      };
    return {
      ok: true,
      data: answer.info,
      imported: {
        sealed: answer.sealed,
        public: answer.public,
        plugin: plugin.name,
        version: plugin.manifest.plugin.version,
      },
    };
  }

  private async execute(
    plugin: LoadedPlugin,
    action: PluginAction,
    parameters: Record<string, unknown>,
    credential: Pick<StoredCredential, 'name' | 'type' | 'fields' | 'imported'> | undefined,
    signal?: AbortSignal,
    /** The type's import call: values in, no network, no log; its output is judged by importFields. */
    importing = false,
  ): Promise<PluginResponse> {
    const checked = checkParameters(action.parameters, parameters);
    if (!checked.ok) return { code: RESPONSE_CODES.invalidParameters, error: checked.message };
    if (credential && !importing) this.requireImported(credential);
    const secrets = credential ? secretValuesOf(credential, this.types) : [];
    const view = credential
      ? credentialForPlugin(credential, this.types, importing ? 'values' : secretAccessOf(plugin))
      : { fields: {}, secrets: [] };
    const now = Math.floor(this.now().getTime() / 1000);
    const request: PluginRequest = {
      action: action.name,
      credential: view.fields,
      parameters: checked.parameters,
      context: importing ? { now, import: true } : { now },
    };
    const response = await this.host.call(
      plugin.name,
      JSON.stringify(request),
      plugin.timeoutMs,
      signal,
      view.secrets,
      view.secretHosts,
      importing,
    );
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
    // An import answers with sealed key material by design; importFields screens what it shows.
    if (!importing && containsSecret(output, secrets)) {
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

  /** A credential of a type with an import entry is used only once its import has run. */
  private requireImported(credential: Pick<StoredCredential, 'name' | 'type' | 'imported'>): void {
    const type = this.types.get(credential.type);
    if (type && importEntryOf(type) && !credential.imported)
      throw new CustodianError(
        'invalid_input',
        `Credential "${credential.name}" has no imported key: open it in Custodian and save it again`,
      );
  }

  /** The call's one read of its credential's fields, by the id it was resolved to. */
  private credentialFields(ref: CredentialRef): Readonly<StoredCredential> {
    const credential = storedCredential(this.vault, ref.id);
    // Removed while the call waited (for the person, say): it no longer exists.
    if (!credential) throw new CustodianError('not_found', `No credential "${ref.name}"`);
    return credential;
  }
}
