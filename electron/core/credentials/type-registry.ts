import {
  credentialTypeSchema,
  type CredentialType,
  type CredentialTypeInfo,
} from '../../../shared/fields';
import { BUILTIN_CREDENTIAL_TYPES } from './builtin-types';

/** Every credential type the app knows: built-in ones, and later those plugins add. */
export class CredentialTypeRegistry {
  private readonly types = new Map<string, CredentialTypeInfo>();

  constructor() {
    for (const type of BUILTIN_CREDENTIAL_TYPES) this.register(type, 'built-in');
  }

  register(definition: CredentialType, source: string): void {
    const type = credentialTypeSchema.parse(definition);
    const existing = this.types.get(type.name);
    if (existing)
      throw new Error(`Credential type "${type.name}" is already defined by ${existing.source}`);
    this.types.set(type.name, { ...type, source });
  }

  unregisterSource(source: string): void {
    for (const [name, type] of this.types) if (type.source === source) this.types.delete(name);
  }

  get(name: string): CredentialTypeInfo | undefined {
    return this.types.get(name);
  }

  list(): CredentialTypeInfo[] {
    return [...this.types.values()];
  }
}
