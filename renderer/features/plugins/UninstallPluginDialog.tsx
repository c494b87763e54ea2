import { useEffect, useId, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import type { PluginInfo } from '../../../shared/plugins';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

interface Props {
  plugin: PluginInfo;
  onUninstalled: (plugin: PluginInfo) => void;
  onClose: () => void;
}

/** "A", "A and B", "A, B and C". */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** The credentials stored with any of these types, in the order main lists them. */
function useCredentialsOfTypes(types: readonly string[]) {
  const [items, setItems] = useState<CredentialSummary[] | null>(types.length ? null : []);
  const [error, setError] = useState<string | null>(null);
  const key = types.join(' ');
  useEffect(() => {
    if (!key) return;
    let live = true;
    Promise.all(key.split(' ').map((type) => invoke('credentials:list', { type }))).then(
      (lists) => live && setItems(lists.flat()),
      (caught: unknown) => live && setError(windowMessageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return { items, error };
}

/**
 * Uninstall asks first and says what happens to the credentials of the
 * plugin's types: they stay, unusable, until the plugin is back.
 */
export function UninstallPluginDialog({ plugin, onUninstalled, onClose }: Props) {
  const affectedId = useId();
  const types = plugin.credentialTypes;
  const credentials = useCredentialsOfTypes(types.map((t) => t.name));

  return (
    <ConfirmDialog
      title={`Uninstall “${plugin.name}”?`}
      description="Its files are removed from this computer, and agents lose its tools at once."
      confirmLabel="Uninstall"
      busyLabel="Uninstalling…"
      action={async () => {
        await invoke('plugins:uninstall', { name: plugin.name });
      }}
      onDone={() => onUninstalled(plugin)}
      onClose={onClose}
    >
      {types.length > 0 && (
        <div className="stack stack-tight">
          <p>
            Credentials of its types ({joinWords(types.map((t) => t.display_name))}) stay in the
            vault but cannot be used or edited until the plugin is installed again.
          </p>
          {credentials.error ? (
            <Alert tone="warning">
              Custodian could not check which credentials use them: {credentials.error}
            </Alert>
          ) : credentials.items === null ? (
            <p className="muted" role="status">
              Checking which credentials use them…
            </p>
          ) : credentials.items.length === 0 ? (
            <p className="muted">No credentials in the vault use them now.</p>
          ) : (
            <div>
              <p id={affectedId}>
                {credentials.items.length === 1
                  ? 'This credential uses them:'
                  : `These ${credentials.items.length} credentials use them:`}
              </p>
              <ul className="affected-list" aria-labelledby={affectedId}>
                {credentials.items.map((credential) => (
                  <li key={credential.id}>{credential.name}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </ConfirmDialog>
  );
}
