import { useId, type ReactNode } from 'react';
import type { Capabilities } from '../../../shared/manifest';
import type { StoreEntry } from '../../../shared/store';
import { capabilityTexts } from '../plugins/capabilities';
import { SECRET_VALUES_KEY, SECRET_VALUES_TEXT } from '../../../shared/capability-words';
import type { PluginAbi } from '../../../shared/plugin-host-protocol';

// The parts of a plugin both the details and the consent dialogs show: what
// it may do, its tools, its credential types with their fields.

/** A titled part of a dialog: a region named by its h3. */
export function FactSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="store-section" aria-labelledby={id}>
      <h3 id={id} className="store-section-title">
        {title}
      </h3>
      {children}
    </section>
  );
}

interface CapabilityListProps {
  capabilities: Capabilities;
  /** What an update adds: those lines are marked New. */
  added?: Capabilities;
  /** A Vultrino-ABI module reads secret values whatever its manifest says. */
  abi?: PluginAbi;
}

/** Capabilities in plain words: "May send HTTPS requests to api.github.com". */
export function CapabilityList({ capabilities, added, abi }: CapabilityListProps) {
  const all = capabilityTexts(capabilities, abi);
  const isNew = new Set(added ? capabilityTexts(added).map((line) => line.key) : []);
  const warning = all.find((line) => line.key === SECRET_VALUES_KEY);
  const lines = all.filter((line) => line !== warning);
  if (all.length === 0)
    return (
      <p className="muted">
        Asks for no permissions: it works only with what it is given, and cannot reach the network.
      </p>
    );
  return (
    <>
      {warning && <SecretValuesWarning isNew={isNew.has(warning.key)} />}
      {lines.length > 0 && (
        <ul className="store-capabilities">
          {lines.map((line) => (
            <li key={line.key} className={isNew.has(line.key) ? 'store-capability-new' : undefined}>
              {line.text}
              {isNew.has(line.key) && (
                <>
                  {' '}
                  <span className="badge store-change-badge-added">New</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Reading secret values is a warning of its own, never one line among the others. */
export function SecretValuesWarning({ isNew = false }: { isNew?: boolean }) {
  return (
    <p className="alert alert-warning" role="note">
      {SECRET_VALUES_TEXT}.
      {isNew && (
        <>
          {' '}
          <span className="badge store-change-badge-added">New</span>
        </>
      )}
    </p>
  );
}

export function ToolsList({ tools }: { tools: StoreEntry['tools'] }) {
  if (tools.length === 0) return <p className="muted">None: agents cannot call this plugin.</p>;
  return (
    <ul className="detail-list">
      {tools.map((tool) => (
        <li key={tool.name} className="detail-item">
          <code className="code detail-name">{tool.name}</code>
          {tool.description && <p>{tool.description}</p>}
        </li>
      ))}
    </ul>
  );
}

export function TypesList({ types }: { types: StoreEntry['credentialTypes'] }) {
  if (types.length === 0) return <p className="muted">None.</p>;
  return (
    <ul className="detail-list">
      {types.map((type) => (
        <li key={type.name} className="detail-item">
          <span>
            <span className="detail-name">{type.display_name}</span>{' '}
            <code className="code">{type.name}</code>
          </span>
          {type.fields.length > 0 && (
            <ul className="param-list" aria-label={`Fields of ${type.display_name}`}>
              {type.fields.map((field) => (
                <li key={field.name}>
                  {field.label} <code className="code">{field.name}</code>
                  {field.secret && <span className="muted"> (secret)</span>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
