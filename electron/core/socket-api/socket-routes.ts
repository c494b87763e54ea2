import type {
  BridgeMethod,
  BridgeParsedParams,
  BridgeResult,
} from '../../../shared/bridge-protocol';
import type { Route } from '../use-cases/route';

// The local socket: each method of the bridge protocol and the use case that
// serves it, with the socket's own shapes (results wrapped in a named field,
// rows trimmed to what the protocol names). Who may call what is declared by
// the use cases, not here.

export type SocketRoutes = {
  [M in BridgeMethod]: Route<BridgeParsedParams<M>, BridgeResult<M>>;
};

export const socketRoutes: SocketRoutes = {
  ping: { useCase: 'clients.ping' },
  status: { useCase: 'clients.status' },
  'tools:list': { useCase: 'tools.listEnabled', response: (tools) => ({ tools }) },
  'tools:call': { useCase: 'tools.call' },
  'vault:lock': { useCase: 'vault.lock', response: ({ state }) => ({ vault: state }) },
  'credentials:list': {
    useCase: 'credentials.list',
    response: (credentials) => ({
      credentials: credentials.map(({ name, type, typeName, description, updatedAt }) => ({
        name,
        type,
        typeName,
        description,
        updatedAt,
      })),
    }),
  },
  'credentialTypes:list': { useCase: 'credentialTypes.list', response: (types) => ({ types }) },
  'credentials:add': {
    useCase: 'credentials.add',
    response: ({ name, type, inspection }) => ({ name, type, inspection }),
  },
  'credentials:remove': { useCase: 'credentials.remove', response: ({ name }) => ({ name }) },
  'tools:policy': { useCase: 'tools.list', response: (tools) => ({ tools }) },
  'tools:setMode': { useCase: 'tools.setMode', response: (tool) => ({ tool }) },
  'audit:list': { useCase: 'audit.list' },
  'audit:verify': { useCase: 'audit.verify', response: (verdict) => ({ verdict }) },
  'plugins:list': {
    useCase: 'plugins.list',
    response: (plugins) => ({
      plugins: plugins.map((p) => ({
        name: p.name,
        version: p.version,
        enabled: p.enabled,
        status: p.status,
        source: p.source,
        development: p.development,
        ...(p.error !== undefined ? { error: p.error } : {}),
      })),
    }),
  },
  'plugins:install': { useCase: 'plugins.install', response: (plan) => ({ plan }) },
  'plugins:update': { useCase: 'plugins.update' },
  'plugins:remove': { useCase: 'plugins.remove' },
  'catalogs:list': { useCase: 'catalogs.list', response: (catalogs) => ({ catalogs }) },
  'catalogs:add': { useCase: 'catalogs.add', response: (catalog) => ({ catalog }) },
  'catalogs:remove': { useCase: 'catalogs.remove' },
  'catalogs:refresh': { useCase: 'catalogs.refresh', response: (results) => ({ results }) },
};
