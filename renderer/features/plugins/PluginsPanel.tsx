import { useState } from 'react';
import type { PluginInfo } from '../../../shared/plugins';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { PluginCard } from './PluginCard';
import { UninstallPluginDialog } from './UninstallPluginDialog';
import { usePlugins } from './use-plugins';

/** The installed plugins: status, what each adds and may do, on/off, and Uninstall. */
export function PluginsPanel() {
  const { plugins, error, reload } = usePlugins();
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const [uninstalling, setUninstalling] = useState<PluginInfo | null>(null);
  // Announced politely after each change, so a screen reader hears what happened.
  const [announcement, setAnnouncement] = useState('');

  const mark = (name: string, on: boolean) =>
    setBusy((now) => {
      const next = new Set(now);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  const setEnabled = async (plugin: PluginInfo, enabled: boolean) => {
    mark(plugin.name, true);
    setActionError(null);
    try {
      const after = await invoke('plugins:setEnabled', { name: plugin.name, enabled });
      setAnnouncement(
        !enabled
          ? `Turned off ${plugin.name}.`
          : after.status === 'error'
            ? `Turned on ${plugin.name}, but it could not be loaded.`
            : `Turned on ${plugin.name}.`,
      );
    } catch (caught) {
      setActionError(`${plugin.name}: ${windowMessageOf(caught)}`);
    } finally {
      mark(plugin.name, false);
      reload();
    }
  };

  return (
    <section className="stack">
      <div className="panel-header">
        <ScreenHeading>Plugins</ScreenHeading>
      </div>
      <p className="muted">
        Plugins add credential types, and actions agents can use through tools. Each runs in a
        sandbox and may do only what you granted it.
      </p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {error && <Alert>{error}</Alert>}
      {actionError && <Alert>{actionError}</Alert>}
      {plugins === null ? (
        !error && <p className="muted">Loading…</p>
      ) : plugins.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">No plugins installed yet</p>
          <p className="muted">
            Find plugins in the Store. Plugin authors can also copy a built plugin folder into the
            plugins folder of Custodian’s data folder: it appears here turned off, with nothing
            granted, until you turn it on.
          </p>
        </div>
      ) : (
        <ul className="plugin-list" aria-label="Installed plugins">
          {plugins.map((plugin) => (
            <PluginCard
              key={plugin.name}
              plugin={plugin}
              busy={busy.has(plugin.name)}
              onSetEnabled={(p, enabled) => void setEnabled(p, enabled)}
              onUninstall={setUninstalling}
            />
          ))}
        </ul>
      )}
      {uninstalling && (
        <UninstallPluginDialog
          plugin={uninstalling}
          onUninstalled={(removed) => {
            setUninstalling(null);
            setAnnouncement(`Uninstalled ${removed.name}.`);
            reload();
          }}
          onClose={() => setUninstalling(null)}
        />
      )}
    </section>
  );
}
