import type { BridgeParams } from '../../../../shared/bridge-protocol';
import { CustodianError } from '../../../../shared/errors';
import { bridgeClientFor } from '../../../core/bridge';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../../../core/agents/policy/approvals';
import { NOT_RUNNING } from '../client';
import { CLI_VERSION } from '../version';
import { fromLine, type SshPublicKey } from './public-key-file';

// Signing for git goes through the agents' channel, as one more MCP-like
// client of the core, and not the command line's admin channel: signing a
// commit is a tool call made on the person's behalf, so it meets exactly what
// an agent's ssh_sign meets (the tool's mode, the approval showing the
// namespace and the commit, the rate limit, the audit entry under this
// client's name), and it needs none of what the admin channel can do
// (credentials, plugins, policy). The key is found with the tools any agent
// has: list_credentials (type ssh_key) and ssh_public_key.

/** The name the approval dialog and the audit log show for these calls. */
export const SSH_SIGN_CLIENT = 'custodian ssh-sign';
const CALL_MS = 30_000 + DEFAULT_APPROVAL_TIMEOUT_MS;

export interface AgentSigner {
  /** The stored ssh_key credential whose public key is `key`. */
  findCredential(key: SshPublicKey): Promise<string>;
  sign(credential: string, namespace: string, data: Buffer): Promise<string>;
  close(): Promise<void>;
}

export async function connectSigner(dataDir: string): Promise<AgentSigner> {
  const client = bridgeClientFor(
    dataDir,
    { name: SSH_SIGN_CLIENT, version: CLI_VERSION },
    { reconnect: false, connectTimeoutMs: 5_000, defaultTimeoutMs: CALL_MS },
  );
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    if (error instanceof CustodianError && error.code === 'not_connected')
      throw new CustodianError('not_connected', NOT_RUNNING);
    throw error;
  }

  /** One tool call; its data, or the tool's own refusal as the error. */
  const tool = async (
    name: string,
    args: BridgeParams<'tools:call'>['arguments'],
  ): Promise<Record<string, unknown>> => {
    const result = await client.call('tools:call', { name, arguments: args });
    const text = result.content.map((c) => c.text).join('\n');
    if (result.isError) throw new CustodianError('forbidden', `${name}: ${text}`);
    if (result.structuredContent) return result.structuredContent;
    try {
      const data: unknown = JSON.parse(text);
      if (data && typeof data === 'object') return data as Record<string, unknown>;
    } catch {
      // Said below.
    }
    throw new CustodianError('invalid_response', `${name} answered something that is not JSON`);
  };

  return {
    async findCredential(key) {
      const listed = await tool('list_credentials', { type: 'ssh_key' });
      const names = Array.isArray(listed.credentials)
        ? listed.credentials.flatMap((c: unknown) =>
            c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string'
              ? [(c as { name: string }).name]
              : [],
          )
        : [];
      for (const name of names) {
        const answer = await tool('ssh_public_key', { credential: name });
        const stored = typeof answer.public_key === 'string' ? fromLine(answer.public_key) : null;
        if (stored && stored.type === key.type && stored.blob === key.blob) return name;
      }
      throw new CustodianError(
        'not_found',
        names.length === 0
          ? 'Custodian holds no SSH key (credential type ssh_key): add the private key in Custodian first'
          : `None of the ${names.length} SSH keys in Custodian is the key ${key.type} ${key.blob.slice(0, 24)}… that git asked for: check user.signingkey`,
      );
    },
    async sign(credential, namespace, data) {
      // Text when it is UTF-8 (a commit is), so the approval shows it as text.
      const text = data.toString('utf8');
      const asText = Buffer.from(text, 'utf8').equals(data);
      const answer = await tool('ssh_sign', {
        credential,
        namespace,
        data: asText ? text : data.toString('base64'),
        ...(asText ? {} : { encoding: 'base64' }),
      });
      if (
        typeof answer.signature !== 'string' ||
        !answer.signature.startsWith('-----BEGIN SSH SIGNATURE-----')
      )
        throw new CustodianError('invalid_response', 'ssh_sign answered no SSH signature');
      return answer.signature;
    },
    close: () => client.close(),
  };
}
