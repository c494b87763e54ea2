import { useId, type ReactNode } from 'react';
import type { Capabilities } from '../../../shared/manifest';
import type { StoreEntry } from '../../../shared/store';
import { capabilityTexts } from '../plugins/capabilities';

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
}

/** Capabilities in plain words: "May send HTTPS requests to api.github.com". */
export function CapabilityList({ capabilities, added }: CapabilityListProps) {
  const lines = capabilityTexts(capabilities);
  const isNew = new Set(added ? capabilityTexts(added).map((line) => line.key) : []);
  if (lines.length === 0)
    return (
      <p className="muted">
        Asks for no permissions: it works only with what it is given, and cannot reach the network.
      </p>
    );
  return (
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
