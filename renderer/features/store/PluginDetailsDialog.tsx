import type { StoreEntry } from '../../../shared/store';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ChangesList } from './ChangesList';
import { CapabilityList, FactSection, ToolsList, TypesList } from './PluginFacts';
import { InstalledBadges } from './StoreEntryCard';
import { formatSize } from './store-words';

interface Props {
  entry: StoreEntry;
  onInstall: (entry: StoreEntry) => void;
  onUninstall: (entry: StoreEntry) => void;
  onClose: () => void;
}

/** Everything the catalog says about a plugin before it is installed. */
export function PluginDetailsDialog({ entry, onInstall, onUninstall, onClose }: Props) {
  return (
    <Dialog
      size="large"
      title={`${entry.name} ${entry.version}`}
      description={entry.description || 'The catalog gives no description.'}
      onClose={onClose}
    >
      <div className="store-details">
        <FactSection title="About">
          <dl className="facts">
            <div>
              <dt>Version</dt>
              <dd>{entry.version}</dd>
            </div>
            <div>
              <dt>Author</dt>
              <dd>{entry.author || 'Not given'}</dd>
            </div>
            <div>
              <dt>Catalog</dt>
              <dd>{entry.catalogName}</dd>
            </div>
            <div>
              <dt>Download size</dt>
              <dd>{formatSize(entry.size)}</dd>
            </div>
            <div>
              <dt>SHA-256</dt>
              <dd className="break-anywhere">
                <code className="code">{entry.sha256}</code>
              </dd>
            </div>
            {entry.installed && (
              <div>
                <dt>On this computer</dt>
                <dd className="store-inline-badges">
                  <InstalledBadges entry={entry} />
                  {entry.installed.version !== entry.version && !entry.update && (
                    <span>version {entry.installed.version}</span>
                  )}
                </dd>
              </div>
            )}
          </dl>
        </FactSection>
        <FactSection title="What it may do">
          <CapabilityList capabilities={entry.capabilities} />
        </FactSection>
        <FactSection title="Tools for agents">
          <ToolsList tools={entry.tools} />
        </FactSection>
        <FactSection title="Credential types">
          <TypesList types={entry.credentialTypes} />
        </FactSection>
        {entry.update && (
          <FactSection title={`What changes in ${entry.update.version}`}>
            <ChangesList
              changes={entry.update.changes}
              label={`Changes in ${entry.name} ${entry.update.version}`}
            />
          </FactSection>
        )}
      </div>
      <div className="actions">
        {entry.installed && (
          <Button variant="danger-quiet" onClick={() => onUninstall(entry)}>
            Uninstall
          </Button>
        )}
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
        {entry.update ? (
          <Button variant="primary" onClick={() => onInstall(entry)}>
            Update to {entry.update.version}
          </Button>
        ) : (
          !entry.installed && (
            <Button variant="primary" onClick={() => onInstall(entry)}>
              Install…
            </Button>
          )
        )}
      </div>
    </Dialog>
  );
}
