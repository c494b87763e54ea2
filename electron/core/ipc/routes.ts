import type { Channel, ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { Route } from '../use-cases/route';

// The window's IPC: each channel of the contract and the use case that serves
// it. Where the contract's shape differs from the use case's, the mapping is
// here; every rule is in the use case.

export type IpcRoutes = { [C in Channel]: Route<ParsedRequestOf<C>, ResponseOf<C>> };

export const ipcRoutes: IpcRoutes = {
  'vault:status': { useCase: 'vault.status' },
  'vault:create': { useCase: 'vault.create' },
  'vault:unlock': { useCase: 'vault.unlock' },
  'vault:recover': { useCase: 'vault.recover' },
  'vault:lock': { useCase: 'vault.lock' },
  'settings:get': { useCase: 'settings.get' },
  'settings:update': { useCase: 'settings.update' },
  'credentialTypes:list': { useCase: 'credentialTypes.list' },
  'credentials:list': { useCase: 'credentials.list' },
  'credentials:get': { useCase: 'credentials.get' },
  'credentials:create': { useCase: 'credentials.add' },
  'credentials:update': { useCase: 'credentials.update' },
  'credentials:delete': { useCase: 'credentials.remove', response: ({ id }) => ({ id }) },
  'plugins:list': { useCase: 'plugins.list' },
  'plugins:setEnabled': { useCase: 'plugins.setEnabled' },
  'plugins:uninstall': { useCase: 'plugins.remove' },
  'tools:list': { useCase: 'tools.list' },
  'tools:setMode': { useCase: 'tools.setMode' },
  'approvals:list': { useCase: 'approvals.list' },
  'approvals:answer': { useCase: 'approvals.answer' },
  'audit:query': { useCase: 'audit.query' },
  'audit:verify': { useCase: 'audit.verify' },
  'agents:clients': { useCase: 'clients.list' },
  'agents:connection': { useCase: 'clients.claudeConnection' },
  'agents:connectClaude': { useCase: 'clients.connectClaude' },
  'agents:saveClaudeBundle': { useCase: 'clients.saveClaudeBundle' },
  'store:catalogs': { useCase: 'catalogs.list' },
  'store:addCatalog': { useCase: 'catalogs.add' },
  'store:removeCatalog': { useCase: 'catalogs.remove' },
  'store:refresh': { useCase: 'catalogs.refresh' },
  'store:browse': { useCase: 'catalogs.browse' },
  'store:prepare': { useCase: 'plugins.prepare' },
  'store:prepareFile': { useCase: 'plugins.prepareFile' },
  'store:install': { useCase: 'plugins.installPrepared' },
  'store:cancel': { useCase: 'plugins.cancelPrepared' },
};
