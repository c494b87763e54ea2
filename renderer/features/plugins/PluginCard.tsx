import { useId, useState } from 'react';
import type { PluginInfo } from '../../../shared/plugins';
import { Button } from '../../ui/Button';
import { Switch } from '../../ui/Switch';
import { countOf } from './capabilities';
import { PluginDetails } from './PluginDetails';

interface Props {
  plugin: PluginInfo;
  /** A change of this plugin is on its way to main. */
  busy: boolean;
  onSetEnabled: (plugin: PluginInfo, enabled: boolean) => void;
  onUninstall: (plugin: PluginInfo) => void;
}

const STATUS_LABEL: Record<PluginInfo['status'], string> = {
  loaded: 'Loaded',
  disabled: 'Disabled',
  error: 'Error',
};

/** What a plugin adds, in one line: "Adds 1 credential type, 2 actions and 1 tool for agents." */
function summary(plugin: PluginInfo): string {
  const parts = [
    plugin.credentialTypes.length > 0 && countOf(plugin.credentialTypes.length, 'credential type'),
    plugin.actions.length > 0 && countOf(plugin.actions.length, 'action'),
    plugin.tools.length > 0 && countOf(plugin.tools.length, 'tool for agents', 'tools for agents'),
  ].filter((part): part is string => Boolean(part));
  if (parts.length === 0) return 'Adds nothing yet.';
  const last = parts.pop();
  return `Adds ${parts.length > 0 ? `${parts.join(', ')} and ${last}` : last}.`;
}

/** One installed plugin: what it is, its status, on/off, details, and Uninstall. */
export function PluginCard({ plugin, busy, onSetEnabled, onUninstall }: Props) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  return (
    <li className="plugin" data-plugin={plugin.name}>
      <div className="plugin-head">
        <div className="plugin-body">
          <div className="plugin-title">
            <h2 className="plugin-name">{plugin.name}</h2>
            <span className="plugin-version">{plugin.version}</span>
            <span className={`badge status status-${plugin.status}`}>
              {STATUS_LABEL[plugin.status]}
            </span>
            {plugin.development && <span className="badge badge-off">Development</span>}
          </div>
          {plugin.author && <p className="plugin-meta">by {plugin.author}</p>}
          {plugin.description && <p className="plugin-description">{plugin.description}</p>}
          {plugin.status !== 'error' && <p className="plugin-meta">{summary(plugin)}</p>}
        </div>
        <div className="plugin-controls">
          <Switch
            checked={plugin.enabled}
            disabled={busy}
            busy={busy}
            onChange={(enabled) => onSetEnabled(plugin, enabled)}
          >
            Enabled<span className="visually-hidden"> ({plugin.name})</span>
          </Switch>
        </div>
      </div>
      {plugin.status === 'error' && (
        <p className="alert alert-error plugin-error">
          <strong>This plugin could not be loaded:</strong> {plugin.error ?? 'unknown error'}
        </p>
      )}
      {plugin.status === 'disabled' && (
        <p className="muted small">
          Turned off: its credential types, actions and tools are unavailable until you turn it on.
        </p>
      )}
      <div className="plugin-actions">
        <Button
          variant="quiet"
          className="disclosure"
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          onClick={() => setOpen((now) => !now)}
        >
          <span className="disclosure-icon" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          Details<span className="visually-hidden"> of {plugin.name}</span>
        </Button>
        <Button
          variant="danger-quiet"
          onClick={() => onUninstall(plugin)}
          disabled={busy}
          aria-label={`Uninstall ${plugin.name}`}
        >
          Uninstall
        </Button>
      </div>
      {open && <PluginDetails id={detailsId} plugin={plugin} />}
    </li>
  );
}
