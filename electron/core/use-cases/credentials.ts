import { z } from 'zod';
import {
  createCredentialSchema,
  credentialIdSchema,
  listCredentialsSchema,
  updateCredentialSchema,
} from '../../../shared/credentials';
import { CustodianError } from '../../../shared/errors';
import { CREDENTIAL_NAME_MAX } from '../../../shared/limits';
import { findCredentialRef, type CredentialRef } from '../credentials/credential-lookup';
import type { CredentialService } from '../credentials/credential-service';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import type { Vault } from '../vault/vault';
import { useCase } from './use-case';

// Credentials as the window and the command line see them: metadata and
// non-secret fields only (CredentialService checks every field rule). The
// window names a credential by id, the command line by name: both are
// resolved here, once, by the same rule.

export interface CredentialUseCaseServices {
  vault: Pick<Vault, 'read'>;
  credentials: CredentialService;
  types: CredentialTypeRegistry;
}

const byId = z.object({ id: credentialIdSchema });
const byName = z.object({ name: z.string().min(1).max(CREDENTIAL_NAME_MAX) });

export function credentialUseCases({ vault, credentials, types }: CredentialUseCaseServices) {
  /** The credential a person or the command line named; only its id, name and type. */
  const resolve = (ref: z.output<typeof byId> | z.output<typeof byName>): CredentialRef => {
    if ('id' in ref) {
      const found = findCredentialRef(vault, ref);
      if (!found) throw new CustodianError('not_found', `No credential with id ${ref.id}`);
      return found;
    }
    const found = findCredentialRef(vault, { name: ref.name.trim() });
    if (!found) throw new CustodianError('not_found', `No credential named "${ref.name}".`);
    return found;
  };
  return {
    'credentialTypes.list': useCase({
      callers: ['window', 'cli'],
      input: z.object({}),
      run: () => types.list(),
    }),
    /** Each summary with its type's display name, which the command line prints. */
    'credentials.list': useCase({
      callers: ['window', 'cli'],
      input: listCredentialsSchema,
      run: (filter) =>
        credentials
          .list(filter)
          .map((c) => ({ ...c, typeName: types.get(c.type)?.display_name ?? c.type })),
    }),
    'credentials.get': useCase({
      callers: ['window'],
      input: byId,
      run: ({ id }) => credentials.get(id),
    }),
    /** Secret values arrive from the form, or from a file or stdin: never a command line. */
    'credentials.add': useCase({
      callers: ['window', 'cli'],
      input: createCredentialSchema,
      run: (input) => credentials.create(input),
    }),
    'credentials.update': useCase({
      callers: ['window'],
      input: updateCredentialSchema,
      run: (input) => credentials.update(input),
    }),
    'credentials.remove': useCase({
      callers: ['window', 'cli'],
      input: z.union([byId, byName]),
      run: async (ref) => {
        const found = resolve(ref);
        await credentials.delete(found.id);
        return { id: found.id, name: found.name };
      },
    }),
  };
}
