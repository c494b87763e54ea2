import { randomUUID } from 'node:crypto';
import type {
  CredentialDetail,
  CredentialSummary,
  SavedCredential,
  createCredentialSchema,
  listCredentialsSchema,
  updateCredentialSchema,
} from '../../../shared/credentials';
import { CustodianError } from '../../../shared/errors';
import { importEntryOf, type CredentialTypeInfo, type FieldValues } from '../../../shared/fields';
import { validateFieldValues } from '../../../shared/validate-fields';
import type { ImportedMaterial, StoredCredential } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import type { CredentialTypeRegistry } from './type-registry';
import type { z } from 'zod';
import { sameCredentialName } from './credential-names';
import { grantListProblem } from '../net/host-grants';
import { Sequencer } from '../../../shared/base/sequencer';

type CreateInput = z.output<typeof createCredentialSchema>;
type UpdateInput = z.output<typeof updateCredentialSchema>;
type ListInput = z.output<typeof listCredentialsSchema>;

/**
 * What a plugin type's import entry made of credential fields about to be
 * saved: `data` (its info) is shown to the person; `imported`, when the
 * import sealed or published anything, is kept with the credential.
 */
export type Inspection =
  | { ok: true; data: unknown; imported?: Omit<ImportedMaterial, 'info' | 'at'> }
  | { ok: false; message: string };

/**
 * Credentials on top of the vault. Every rule a field declares is checked
 * here, whatever the form did; what leaves this class is metadata and
 * non-secret field values only.
 */
export class CredentialService {
  constructor(
    private readonly vault: Vault,
    private readonly types: CredentialTypeRegistry,
    private readonly now: () => Date = () => new Date(),
    /** The import entry of plugin types (PluginCalls.importFields). */
    private readonly inspect?: (
      type: string,
      name: string,
      fields: FieldValues,
    ) => Promise<Inspection | undefined>,
    /** Where importMissing says what it could not import (names and the plugin's reason). */
    private readonly log: (message: string) => void = () => {},
  ) {}

  private readonly imports = new Sequencer();

  list(filter: ListInput = {}): CredentialSummary[] {
    const query = filter.query?.trim().toLowerCase();
    return this.vault.read((content) =>
      content.credentials
        .filter((c) => !filter.type || c.type === filter.type)
        .filter(
          (c) =>
            !query ||
            c.name.toLowerCase().includes(query) ||
            c.type.toLowerCase().includes(query) ||
            (this.types.get(c.type)?.display_name.toLowerCase().includes(query) ?? false) ||
            c.description.toLowerCase().includes(query),
        )
        .map(toSummary)
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  get(id: string): CredentialDetail {
    return this.vault.read((content) => toDetail(this.find(content.credentials, id), this.types));
  }

  async create(input: CreateInput): Promise<SavedCredential> {
    const type = this.requireType(input.type);
    const fields = withDefaults(type.fields, input.fields);
    this.check(type.fields, fields, {});
    this.vault.read((content) => this.checkNameFree(content.credentials, input.name));
    const imported = await this.importFields(type, input.name, fields);
    const time = this.now().toISOString();
    const summary = await this.vault.update((content) => {
      this.checkNameFree(content.credentials, input.name);
      const credential: StoredCredential = {
        id: randomUUID(),
        name: input.name,
        type: type.name,
        description: input.description,
        fields: withoutImportOnly(type, fields),
        createdAt: time,
        updatedAt: time,
        lastUsedAt: null,
        ...materialAt(imported, time),
      };
      content.credentials.push(credential);
      return toSummary(credential);
    });
    return { ...summary, inspection: imported?.data };
  }

  async update(input: UpdateInput): Promise<SavedCredential> {
    // Stored credentials are frozen and replaced, never changed: this one stays as read.
    const current = this.vault.read((content) => this.find(content.credentials, input.id));
    const type = this.requireType(current.type);
    const fields = this.mergeFields(type, current.fields, input);
    // A change of a secret (an import_only one too) imports again; other edits keep
    // what the import made. A credential saved before its type had an import gets one.
    const secretChanged = [...Object.keys(input.fields), ...input.clear].some(
      (name) => type.fields.find((f) => f.name === name)?.secret ?? true,
    );
    const imports = importEntryOf(type) !== undefined;
    const imported =
      secretChanged || (imports && !current.imported)
        ? await this.importFields(type, input.name ?? current.name, fields)
        : undefined;
    const summary = await this.vault.update((content) => {
      const credential = this.find(content.credentials, input.id);
      // The plugin checked the fields as they were; a change in between means checking again.
      if (credential.updatedAt !== current.updatedAt) {
        throw new CustodianError(
          'invalid_input',
          `"${credential.name}" was changed meanwhile; save again`,
        );
      }
      if (input.name !== undefined && input.name !== credential.name)
        this.checkNameFree(content.credentials, input.name, credential.id);
      const time = this.now().toISOString();
      // Replaced, not changed in place: the credential is shared with the content before.
      // A new import replaces what the last one made (or adds it); otherwise it stays.
      const { imported: previous, ...kept } = credential;
      const changed: StoredCredential = {
        ...kept,
        ...(imported ? materialAt(imported, time) : previous ? { imported: previous } : {}),
        fields: imported ? withoutImportOnly(type, fields) : fields,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        updatedAt: time,
      };
      content.credentials[content.credentials.indexOf(credential)] = changed;
      return toSummary(changed);
    });
    return { ...summary, inspection: imported?.data };
  }

  private mergeFields(
    type: CredentialTypeInfo,
    stored: FieldValues,
    input: UpdateInput,
  ): FieldValues {
    const cleared = new Set(input.clear);
    for (const name of cleared) {
      const field = type.fields.find((f) => f.name === name);
      if (!field)
        throw new CustodianError(
          'invalid_input',
          `"${name}" is not a field of ${type.display_name}`,
          { fields: { [name]: 'Unknown field' } },
        );
    }
    const fields: FieldValues = Object.fromEntries(
      Object.entries({ ...stored, ...input.fields }).filter(
        // An empty value clears the field, as `clear` does: stored values are never "".
        ([name, value]) => !cleared.has(name) && value !== '',
      ),
    );
    // import_only values are never stored: given again only when the import runs again.
    const importOnly = new Set(type.fields.filter((f) => f.import_only).map((f) => f.name));
    this.check(type.fields, fields, { stored: importOnly });
    return fields;
  }

  /**
   * A plugin type's import entry reads the fields (with the person present);
   * its refusal is the person's error to fix, shown on the field it names or
   * the first secret one. Undefined for types without an import.
   */
  private async importFields(
    type: CredentialTypeInfo,
    name: string,
    fields: FieldValues,
  ): Promise<Extract<Inspection, { ok: true }> | undefined> {
    const result = await this.inspect?.(type.name, name, fields);
    if (!result) return undefined;
    if (!result.ok) {
      const field = fieldNamedIn(type, result.message) ?? firstSecretField(type);
      throw new CustodianError(
        'invalid_input',
        result.message,
        field ? { fields: { [field.name]: result.message } } : undefined,
      );
    }
    return result;
  }

  /**
   * Imports again, from their stored values, the credentials whose type has an
   * import entry but which have no imported material (saved before the type
   * had one: a plugin updated to a version with an import), then drops their
   * import_only values, which are needed no more. One pass at a time; a
   * credential whose plugin is not loaded, or whose import refuses, stays as
   * it is (its calls say to save it again) and is named in the log.
   */
  importMissing(): Promise<{ imported: string[]; refused: string[] }> {
    return this.imports.queue(async () => {
      const result = { imported: [] as string[], refused: [] as string[] };
      try {
        await this.importEach(result);
      } catch (error) {
        // The vault locked or failed to save meanwhile: the next unlock tries again.
        this.log(`importing older credentials stopped: ${(error as Error)?.message ?? error}`);
      }
      return result;
    });
  }

  private async importEach(result: { imported: string[]; refused: string[] }): Promise<void> {
    if (!this.vault.isUnlocked) return;
    const waiting = this.vault.read((content) =>
      content.credentials.filter((c) => !c.imported).map((c) => structuredClone(c)),
    );
    for (const current of waiting) {
      const type = this.types.get(current.type);
      if (!type || importEntryOf(type) === undefined) continue;
      const inspection = await this.inspect?.(type.name, current.name, current.fields);
      if (!inspection?.ok) {
        result.refused.push(current.name);
        this.log(
          `credential "${current.name}" was not imported again: ${inspection?.message ?? 'no import'}`,
        );
        continue;
      }
      const done = await this.vault.update((content) => {
        const credential = content.credentials.find((c) => c.id === current.id);
        // Changed meanwhile (saved by the person, whose save imported it): left alone.
        if (!credential || credential.updatedAt !== current.updatedAt || credential.imported)
          return false;
        const time = this.now().toISOString();
        // Stored credentials are frozen (the save copies only what changes): replace, never edit in place.
        content.credentials[content.credentials.indexOf(credential)] = {
          ...credential,
          fields: withoutImportOnly(type, credential.fields),
          ...materialAt(inspection, time),
        };
        return true;
      });
      if (done) result.imported.push(current.name);
    }
  }

  async delete(id: string): Promise<{ id: string }> {
    return this.vault.update((content) => {
      const credential = this.find(content.credentials, id);
      content.credentials.splice(content.credentials.indexOf(credential), 1);
      return { id };
    });
  }

  private requireType(name: string) {
    const type = this.types.get(name);
    if (!type)
      throw new CustodianError('invalid_input', `Unknown credential type "${name}"`, {
        fields: { type: 'Unknown credential type' },
      });
    return type;
  }

  private find(credentials: StoredCredential[], id: string): StoredCredential {
    const credential = credentials.find((c) => c.id === id);
    if (!credential) throw new CustodianError('not_found', `No credential with id ${id}`);
    return credential;
  }

  private checkNameFree(credentials: StoredCredential[], name: string, exceptId?: string): void {
    const taken = credentials.some((c) => c.id !== exceptId && sameCredentialName(c.name, name));
    if (taken)
      throw new CustodianError('name_taken', `A credential named "${name}" already exists`, {
        fields: { name: 'This name is already used' },
      });
  }

  private check(
    fields: Parameters<typeof validateFieldValues>[0],
    values: FieldValues,
    options: Parameters<typeof validateFieldValues>[2],
  ): void {
    const errors = validateFieldValues(fields, values, options);
    // Main only (the list of public suffixes stays out of the window): a
    // wildcard over a public suffix would send the secret to anyone's site.
    const hostsProblem = fields.some((f) => f.name === 'allowed_hosts')
      ? grantListProblem(values.allowed_hosts)
      : undefined;
    if (hostsProblem) errors.allowed_hosts = hostsProblem;
    const names = Object.keys(errors);
    if (names.length > 0) {
      throw new CustodianError(
        'invalid_input',
        `Check ${names.map((n) => `"${n}"`).join(', ')}: ${Object.values(errors)[0]}`,
        { fields: errors },
      );
    }
  }
}

function withDefaults(
  fields: Parameters<typeof validateFieldValues>[0],
  values: FieldValues,
): FieldValues {
  const result: FieldValues = {};
  for (const field of fields) {
    const value = values[field.name] ?? field.default;
    // An empty optional value is stored as absent.
    if (value !== undefined && value !== '') result[field.name] = value;
  }
  for (const [name, value] of Object.entries(values))
    if (!(name in result) && value !== '') result[name] = value;
  return result;
}

/** The fields as stored: import_only ones were for the import alone. */
function withoutImportOnly(type: CredentialTypeInfo, fields: FieldValues): FieldValues {
  const importOnly = new Set(type.fields.filter((f) => f.import_only).map((f) => f.name));
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !importOnly.has(name)));
}

/** What the credential keeps of an import: nothing when it neither sealed nor published anything. */
function materialAt(
  result: Extract<Inspection, { ok: true }> | undefined,
  at: string,
): Pick<StoredCredential, 'imported'> {
  return result?.imported ? { imported: { ...result.imported, info: result.data, at } } : {};
}

function firstSecretField(type: CredentialTypeInfo) {
  return (
    type.fields.find((f) => f.required && f.secret) ??
    type.fields.find((f) => f.secret) ??
    type.fields[0]
  );
}

/** The field a plugin's refusal speaks of, by its label or name ("Wrong passphrase"), if any. */
function fieldNamedIn(type: CredentialTypeInfo, message: string) {
  const text = message.toLowerCase();
  return type.fields.find((f) =>
    [f.name, f.name.replace(/_/g, ' '), f.label].some((word) =>
      new RegExp(`\\b${escapeRegExp(word.toLowerCase())}\\b`).test(text),
    ),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toSummary(c: StoredCredential): CredentialSummary {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    description: c.description,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastUsedAt: c.lastUsedAt,
  };
}

function toDetail(c: StoredCredential, types: CredentialTypeRegistry): CredentialDetail {
  const type = types.get(c.type);
  const secret = new Set(
    type ? type.fields.filter((f) => f.secret).map((f) => f.name) : Object.keys(c.fields),
  );
  const fields: FieldValues = {};
  const storedSecrets: string[] = [];
  for (const [name, value] of Object.entries(c.fields)) {
    if (secret.has(name)) storedSecrets.push(name);
    else fields[name] = value;
  }
  return { ...toSummary(c), fields, storedSecrets };
}
