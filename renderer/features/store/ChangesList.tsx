import type { PluginChanges } from '../../../shared/store';
import { CHANGE_LABEL, changeLines } from './store-words';

interface Props {
  changes: PluginChanges;
  /** Names the list: "Changes in 1.1.0". */
  label: string;
}

/**
 * What an update changes, one line each. New capabilities and tools are
 * marked "New" and drawn highlighted; a changed tool description shows what
 * agents were told before and what they will be told after.
 */
export function ChangesList({ changes, label }: Props) {
  const lines = changeLines(changes);
  if (lines.length === 0)
    return <p className="muted">Nothing it may do or offer agents changes.</p>;
  return (
    <ul className="store-changes" aria-label={label}>
      {lines.map((line) => (
        <li key={line.key} className={`store-change store-change-${line.kind}`}>
          <span className={`badge store-change-badge-${line.kind}`}>{CHANGE_LABEL[line.kind]}</span>{' '}
          <span>{line.text}</span>
          {line.before !== undefined && line.after !== undefined && (
            <dl className="store-before-after">
              <div>
                <dt>Before</dt>
                <dd>{line.before || '(no description)'}</dd>
              </div>
              <div>
                <dt>After</dt>
                <dd>{line.after || '(no description)'}</dd>
              </div>
            </dl>
          )}
        </li>
      ))}
    </ul>
  );
}
