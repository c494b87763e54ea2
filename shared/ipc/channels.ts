// The names of the contract, without zod, for the preload: it needs the names
// to build window.custodian and nothing else. contract.ts checks that these
// lists and the schemas name exactly the same channels.

export const CHANNELS = [
  'vault:status',
  'vault:create',
  'vault:unlock',
  'vault:recover',
  'vault:lock',
  'settings:get',
  'settings:update',
  'credentialTypes:list',
  'credentials:list',
  'credentials:get',
  'credentials:create',
  'credentials:update',
  'credentials:delete',
  'plugins:list',
  'plugins:setEnabled',
  'plugins:uninstall',
  'tools:list',
  'tools:setMode',
  'approvals:list',
  'approvals:answer',
  'audit:query',
  'audit:verify',
  'agents:clients',
  'agents:connection',
  'agents:connectClaude',
  'agents:saveClaudeBundle',
  'store:catalogs',
  'store:addCatalog',
  'store:removeCatalog',
  'store:refresh',
  'store:browse',
  'store:prepare',
  'store:prepareFile',
  'store:install',
  'store:cancel',
] as const;

export const EVENT_NAMES = [
  'vault:changed',
  'plugins:changed',
  'tools:changed',
  'approvals:changed',
  'audit:changed',
  'agents:changed',
  'store:changed',
  'store:progress',
] as const;

/** The one IPC channel main pushes events on, as `{event, payload}`; the preload filters by name. */
export const EVENT_CHANNEL = 'custodian:event';

export type ChannelName = (typeof CHANNELS)[number];
export type EventNameList = (typeof EVENT_NAMES)[number];
