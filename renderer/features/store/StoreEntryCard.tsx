import type { StoreEntry } from '../../../shared/store';
import { Button } from '../../ui/Button';
import { capabilityTexts } from '../plugins/capabilities';
import { ChangesList } from './ChangesList';
import { entrySummary } from './store-words';

interface Props {
  entry: StoreEntry;
  onDetails: (entry: StoreEntry) => void;
  /** Install, or update to the version the catalog lists. */
  onInstall: (entry: StoreEntry) => void;
  onUninstall: (entry: StoreEntry) => void;
}

/** "Installed · Enabled", "Installed 1.0.0 · Turned off", "Installed · Error". */
export function InstalledBadges({ entry }: { entry: StoreEntry }) {
  const installed = entry.installed;
  if (!installed) return null;
  const same = installed.version === entry.version && !entry.update;
  return (
    <>
      <span className="badge badge-ok">
        {same ? 'Installed' : `Installed ${installed.version}`}
      </span>
      {installed.status === 'error' ? (
        <span className="badge status-error">Error</span>
      ) : installed.enabled ? (
        <span className="badge status-loaded">Enabled</span>
      ) : (
        <span className="badge badge-off">Turned off</span>
      )}
      {installed.development && <span className="badge badge-off">Development</span>}
    </>
  );
}

/** One plugin a catalog lists: what it is and may do, whether it is installed, and what to do. */
export function StoreEntryCard({ entry, onDetails, onInstall, onUninstall }: Props) {
  const permissions = capabilityTexts(entry.capabilities);
  return (
    <li className="store-entry" data-plugin={entry.name} data-catalog={entry.catalogId}>
      <div className="store-entry-head">
        {entry.icon ? (
          <img className="plugin-icon" src={entry.icon} alt="" width={40} height={40} />
        ) : (
          <span className="plugin-icon plugin-icon-none" aria-hidden="true" />
        )}
        <div className="plugin-body">
          <div className="plugin-title">
            <h3 className="plugin-name">{entry.name}</h3>
            <span className="plugin-version">{entry.version}</span>
            <InstalledBadges entry={entry} />
            {entry.update && (
              <span className="badge badge-warn">Update available: {entry.update.version}</span>
            )}
          </div>
          <p className="plugin-meta">
            {entry.author ? `by ${entry.author} · ` : ''}in {entry.catalogName}
          </p>
          {entry.description && <p className="plugin-description">{entry.description}</p>}
          <p className="plugin-meta">
            {entrySummary(entry)}{' '}
            {permissions.length === 0
              ? 'Asks for no permissions.'
              : `${permissions.map((line) => line.text).join('; ')}.`}
          </p>
        </div>
      </div>
      {entry.update && entry.installed && (
        <div className="store-update">
          <p className="store-update-title">
            {entry.update.version} replaces the installed {entry.installed.version}:
          </p>
          <ChangesList
            changes={entry.update.changes}
            label={`Changes in ${entry.name} ${entry.update.version}`}
          />
        </div>
      )}
      <div className="plugin-actions">
        <Button variant="quiet" onClick={() => onDetails(entry)}>
          Details<span className="visually-hidden"> of {entry.name}</span>
        </Button>
        <div className="store-entry-buttons">
          {entry.installed && (
            <Button
              variant="danger-quiet"
              onClick={() => onUninstall(entry)}
              aria-label={`Uninstall ${entry.name}`}
            >
              Uninstall
            </Button>
          )}
          {entry.update ? (
            <Button
              variant="primary"
              onClick={() => onInstall(entry)}
              aria-label={`Update ${entry.name} to ${entry.update.version}`}
            >
              Update to {entry.update.version}
            </Button>
          ) : (
            !entry.installed && (
              <Button
                variant="primary"
                onClick={() => onInstall(entry)}
                aria-label={`Install ${entry.name}`}
              >
                Install
              </Button>
            )
          )}
        </div>
      </div>
    </li>
  );
}
