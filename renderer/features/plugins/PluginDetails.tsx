import { useId, type ReactNode } from 'react';
import type { PluginInfo } from '../../../shared/plugins';
import { formatDate } from '../credentials/format-date';
import { capabilityLines } from './capabilities';
import { SECRET_VALUES_KEY } from '../../../shared/capability-words';
import { SecretValuesWarning } from '../store/PluginFacts';

interface Props {
  id: string;
  plugin: PluginInfo;
}

/** Where a plugin came from, in words. */
function describeSource(source: string): string {
  if (source === 'local') return 'A plugin folder on this computer';
  if (source === 'store') return 'The plugin store';
  return source;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="plugin-section" aria-labelledby={id}>
      <h3 id={id} className="plugin-section-title">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** Everything a plugin adds and may do: types, actions, agent tools, permissions. */
export function PluginDetails({ id, plugin }: Props) {
  const all = capabilityLines(plugin);
  const readsValues = all.find((line) => line.key === SECRET_VALUES_KEY);
  const permissions = all.filter((line) => line !== readsValues);
  return (
    <div id={id} className="plugin-details">
      <Section title="Credential types">
        {plugin.credentialTypes.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="detail-list">
            {plugin.credentialTypes.map((type) => (
              <li key={type.name} className="detail-item">
                <span className="detail-name">{type.display_name}</span>{' '}
                <code className="code">{type.name}</code>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Actions">
        {plugin.actions.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="detail-list">
            {plugin.actions.map((action) => (
              <li key={action.name} className="detail-item">
                <code className="code detail-name">{action.name}</code>
                {action.description && <p>{action.description}</p>}
                {action.parameters.length === 0 ? (
                  <p className="muted small">No parameters.</p>
                ) : (
                  <ul className="param-list" aria-label={`Parameters of ${action.name}`}>
                    {action.parameters.map((parameter) => (
                      <li key={parameter.name}>
                        <code className="code">{parameter.name}</code>{' '}
                        <span className="muted">
                          ({parameter.type}, {parameter.required ? 'required' : 'optional'})
                        </span>
                        {parameter.description && <> {parameter.description}</>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Tools for agents">
        {plugin.tools.length === 0 ? (
          <p className="muted">None: agents cannot call this plugin.</p>
        ) : (
          <ul className="detail-list">
            {plugin.tools.map((tool) => (
              <li key={tool.name} className="detail-item">
                <code className="code detail-name">{tool.name}</code>
                {tool.description && <p>{tool.description}</p>}
                <p className="muted small">Runs the action {tool.action}.</p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Permissions">
        {readsValues && <SecretValuesWarning />}
        {permissions.length === 0 && !readsValues ? (
          <p className="muted">
            Asks for no permissions: it works only with what it is given, and cannot reach the
            network.
          </p>
        ) : (
          <ul className="detail-list">
            {permissions.map((line) => (
              <li key={line.key} className="permission">
                <span>{line.text}</span>
                <span className={`badge ${line.granted ? 'badge-ok' : 'badge-off'}`}>
                  {line.granted ? 'Granted' : 'Not granted'}
                </span>
              </li>
            ))}
          </ul>
        )}
        {permissions.some((line) => !line.granted) && (
          <p className="muted small">
            What was not granted is refused when the plugin asks for it.
          </p>
        )}
      </Section>

      <Section title="About">
        <dl className="facts">
          <div>
            <dt>Installed from</dt>
            <dd>{describeSource(plugin.source)}</dd>
          </div>
          {plugin.installedAt && (
            <div>
              <dt>Installed</dt>
              <dd>
                <time dateTime={plugin.installedAt}>{formatDate(plugin.installedAt)}</time>
              </dd>
            </div>
          )}
          {plugin.license && (
            <div>
              <dt>License</dt>
              <dd>{plugin.license}</dd>
            </div>
          )}
          {plugin.homepage && (
            <div>
              <dt>Homepage</dt>
              <dd className="break-anywhere">{plugin.homepage}</dd>
            </div>
          )}
          {plugin.timeoutMs > 0 && (
            <div>
              <dt>Time limit per call</dt>
              <dd>{formatSeconds(plugin.timeoutMs)}</dd>
            </div>
          )}
          {plugin.development && (
            <div>
              <dt>Development</dt>
              <dd>Reloads by itself when its files change</dd>
            </div>
          )}
        </dl>
      </Section>
    </div>
  );
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
