import { auditUseCases, type AuditUseCaseServices } from './audit';
import { catalogUseCases, type CatalogUseCaseServices } from './catalogs';
import { clientUseCases, type ClientUseCaseServices } from './clients';
import { credentialUseCases, type CredentialUseCaseServices } from './credentials';
import { pluginUseCases, type PluginUseCaseServices } from './plugins';
import { toolUseCases, type ToolUseCaseServices } from './tools';
import type { z } from 'zod';
import { vaultUseCases, type VaultUseCaseServices } from './vault';

// Everything a person, an agent or the command line can do, by name. The
// adapters (ipc/, socket-api/, the in-process command line) route to these
// names and nothing else. Built once by createCore, after the services.

export type UseCaseServices = VaultUseCaseServices &
  CredentialUseCaseServices &
  ToolUseCaseServices &
  AuditUseCaseServices &
  PluginUseCaseServices &
  CatalogUseCaseServices &
  ClientUseCaseServices;

export function createUseCases(services: UseCaseServices) {
  return {
    ...vaultUseCases(services),
    ...credentialUseCases(services),
    ...toolUseCases(services),
    ...auditUseCases(services),
    ...pluginUseCases(services),
    ...catalogUseCases(services),
    ...clientUseCases(services),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
export type UseCaseName = keyof UseCases;
/** What a caller gives (before the use case's defaults). */
export type UseCaseInput<N extends UseCaseName> = z.input<UseCases[N]['input']>;
export type UseCaseOutput<N extends UseCaseName> = Awaited<ReturnType<UseCases[N]['run']>>;
