import { z } from 'zod';
import type { ClaudeLink } from '../agents/claude-desktop';
import type { BridgeConnectionInfo } from '../bridge';
import { saveClaudeBundle, type ClaudeBundleOptions } from '../agents/claude-desktop/save-bundle';
import type { Vault } from '../vault/vault';
import { useCase } from './use-case';

// The clients that reach the core: who is connected over the socket, what
// they may learn of the core at once (ping, status), and connecting Claude
// Desktop to the bridge.

export interface ClientUseCaseServices {
  vault: Pick<Vault, 'state'>;
  claude: ClaudeLink;
  /** The agents and command lines connected over either socket now. */
  clients: () => BridgeConnectionInfo[];
  serverVersion: string;
  /** custodian.mcpb as the app ships it, and where the person saves a copy. */
  claudeBundle?: ClaudeBundleOptions;
}

const empty = z.object({});

export function clientUseCases({
  vault,
  claude,
  clients,
  serverVersion,
  claudeBundle,
}: ClientUseCaseServices) {
  return {
    /** The agents connected now (the window's and tray's list): a command line is no agent. */
    'clients.list': useCase({
      callers: ['window'],
      input: empty,
      run: () =>
        clients()
          .filter((c) => c.channel === 'agents')
          .map((c) => ({
            id: c.id,
            name: c.client.name,
            version: c.client.version,
            connectedAt: c.connectedAt.toISOString(),
          })),
    }),
    'clients.ping': useCase({
      callers: ['agent', 'cli'],
      input: empty,
      run: () => ({ pong: true as const }),
    }),
    /** What a socket client learns first: the core's version, the vault's state, who else is here. */
    'clients.status': useCase({
      callers: ['agent', 'cli'],
      input: empty,
      run: async () => ({
        server: { version: serverVersion },
        vault: await vault.state(),
        clients: clients().length,
      }),
    }),
    /** Whether Claude Desktop's config names our bridge. */
    'clients.claudeConnection': useCase({
      callers: ['window'],
      input: empty,
      run: () => claude.connection(),
    }),
    'clients.connectClaude': useCase({
      callers: ['window'],
      input: empty,
      run: () => claude.connect(),
    }),
    /** A copy of custodian.mcpb for Claude Desktop's one-click install; the path comes from main's dialog, never from the caller. */
    'clients.saveClaudeBundle': useCase({
      callers: ['window'],
      input: empty,
      run: () => saveClaudeBundle(claudeBundle),
    }),
  };
}
