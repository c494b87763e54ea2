import { useState } from 'react';
import type { StoreEntry } from '../../../shared/store';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { Section } from '../agents/Section';
import { UninstallPluginDialog } from '../plugins/UninstallPluginDialog';
import { usePlugins } from '../plugins/use-plugins';
import { CatalogsSection } from './CatalogsSection';
import { InstallConsentDialog, type InstallRequest } from './InstallConsentDialog';
import { PluginDetailsDialog } from './PluginDetailsDialog';
import { StoreEntryList, type StoreFilter } from './StoreEntryList';
import { quoted } from './store-words';
import { useCatalogs, useStoreEntries } from './use-store';

/** A store entry is one plugin of one catalog. */
interface EntryKey {
  catalogId: string;
  name: string;
}

const sameEntry = (entry: StoreEntry, key: EntryKey) =>
  entry.catalogId === key.catalogId && entry.name === key.name;

/**
 * The plugin store: browse and search what the catalogs list, read the
 * details, install with consent, update, uninstall, install an archive from a
 * file; and manage the catalogs themselves.
 */
export function StorePanel() {
  const entries = useStoreEntries();
  const catalogs = useCatalogs();
  const { plugins } = usePlugins();
  const [filter, setFilter] = useState<StoreFilter>({ query: '', catalogId: '', show: '' });
  const [details, setDetails] = useState<EntryKey | null>(null);
  const [installing, setInstalling] = useState<InstallRequest | null>(null);
  const [uninstalling, setUninstalling] = useState<string | null>(null);
  const [pickingFile, setPickingFile] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const detailsEntry = details && entries.data?.find((entry) => sameEntry(entry, details));
  const uninstallPlugin = uninstalling && plugins?.find((plugin) => plugin.name === uninstalling);

  const reloadAll = () => {
    entries.reload();
    catalogs.reload();
  };

  const install = (entry: StoreEntry) => {
    setDetails(null);
    setNotice(null);
    setActionError(null);
    setInstalling({
      kind: 'catalog',
      catalogId: entry.catalogId,
      name: entry.name,
      version: entry.update?.version ?? entry.version,
      verb: entry.update ? 'Update' : 'Install',
    });
  };

  const uninstall = (entry: StoreEntry) => {
    setDetails(null);
    setNotice(null);
    setActionError(null);
    if (!plugins?.some((plugin) => plugin.name === entry.name)) {
      setActionError(`${entry.name}: Custodian could not find it among the installed plugins.`);
      return;
    }
    setUninstalling(entry.name);
  };

  const installFromFile = async () => {
    setNotice(null);
    setActionError(null);
    setPickingFile(true);
    try {
      const plan = await invoke('store:prepareFile', {});
      if (plan) setInstalling({ kind: 'plan', plan });
    } catch (caught) {
      setActionError(windowMessageOf(caught));
    } finally {
      setPickingFile(false);
    }
  };

  return (
    <section className="stack">
      <div className="panel-header">
        <ScreenHeading>Store</ScreenHeading>
        <Button
          onClick={() => void installFromFile()}
          disabled={pickingFile}
          aria-busy={pickingFile}
        >
          {pickingFile ? 'Opening…' : 'Install from file…'}
        </Button>
      </div>
      <p className="muted">
        Plugins from signed catalogs. Before anything is installed you see what it may do, and an
        update that asks for more asks you again.
      </p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {notice && <Alert tone="info">{notice}</Alert>}
      {actionError && <Alert>{actionError}</Alert>}

      <Section title="Plugins">
        {entries.error && <Alert>{entries.error}</Alert>}
        {entries.data === null ? (
          !entries.error && <p className="muted">Loading…</p>
        ) : (
          <StoreEntryList
            entries={entries.data}
            catalogs={catalogs.data ?? []}
            filter={filter}
            onFilter={setFilter}
            onDetails={(entry) => setDetails({ catalogId: entry.catalogId, name: entry.name })}
            onInstall={install}
            onUninstall={uninstall}
          />
        )}
      </Section>

      <Section title="Catalogs">
        <p className="muted small">
          A catalog is a signed list of plugins. One with a bad or unknown signature, past its
          expiry, or older than the copy Custodian has is refused, and the previous copy stays in
          use.
        </p>
        <CatalogsSection
          catalogs={catalogs.data}
          error={catalogs.error}
          onChanged={reloadAll}
          announce={setAnnouncement}
        />
      </Section>

      {detailsEntry && (
        <PluginDetailsDialog
          entry={detailsEntry}
          onInstall={install}
          onUninstall={uninstall}
          onClose={() => setDetails(null)}
        />
      )}
      {installing && (
        <InstallConsentDialog
          request={installing}
          onInstalled={(plugin, plan) => {
            setInstalling(null);
            const done =
              plan.action === 'update'
                ? `Updated ${quoted(plugin.name)} to ${plugin.version}.`
                : plan.action === 'downgrade'
                  ? `Installed the older version ${plugin.version} of ${quoted(plugin.name)}.`
                  : `Installed ${quoted(plugin.name)} ${plugin.version}.`;
            setNotice(
              plugin.status === 'error'
                ? `${done} It could not be loaded: ${plugin.error ?? 'unknown error'}`
                : plugin.tools.length > 0
                  ? `${done} Its tools are listed in Agents, where you choose what agents may do with them.`
                  : done,
            );
            setAnnouncement(done);
            reloadAll();
          }}
          onClose={() => setInstalling(null)}
        />
      )}
      {uninstallPlugin && (
        <UninstallPluginDialog
          plugin={uninstallPlugin}
          onUninstalled={(removed) => {
            setUninstalling(null);
            setNotice(`Uninstalled ${quoted(removed.name)}.`);
            setAnnouncement(`Uninstalled ${removed.name}.`);
            reloadAll();
          }}
          onClose={() => setUninstalling(null)}
        />
      )}
    </section>
  );
}
