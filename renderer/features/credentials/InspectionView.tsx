import { useEffect, useMemo, useRef } from 'react';
import { Button } from '../../ui/Button';
import {
  describeInspection,
  type InspectionRow,
  type InspectionValue,
} from './describe-inspection';

/** The Saved view's line under its title (the dialog's description). */
export const SAVED_DESCRIPTION = 'The plugin checked this credential and found:';

/**
 * The dialog title of the Saved view. It takes the focus when the view
 * replaces the form, so the view is read from its top, however long it is.
 */
export function SavedTitle({ name }: { name: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <span ref={ref} tabIndex={-1} className="saved-title">
      Saved “{name}”
    </span>
  );
}

interface Props {
  /** What the type's on_save action answered; main withholds anything holding a secret. */
  inspection: unknown;
  onDone: () => void;
}

/** After a save a plugin checked: what it found, as a definition list, and Done. */
export function InspectionView({ inspection, onDone }: Props) {
  const rows = useMemo(() => describeInspection(inspection), [inspection]);
  return (
    <div className="stack">
      <Rows rows={rows} depth={0} />
      <div className="actions">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

function Rows({ rows, depth }: { rows: readonly InspectionRow[]; depth: number }) {
  return (
    <dl className={depth === 0 ? 'inspection' : 'inspection inspection-nested'}>
      {rows.map((row, index) => (
        <div
          key={index}
          className={row.value.kind === 'text' ? 'inspection-row' : 'inspection-row block'}
        >
          <dt>{row.label}</dt>
          <dd>
            <Value value={row.value} depth={depth} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Value({ value, depth }: { value: InspectionValue; depth: number }) {
  switch (value.kind) {
    case 'text':
      if (value.dateTime) return <time dateTime={value.dateTime}>{value.text}</time>;
      return value.code ? <span className="code">{value.text}</span> : <>{value.text}</>;
    case 'list':
      return (
        <ul className="inspection-list">
          {value.items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      );
    case 'rows':
      return <Rows rows={value.rows} depth={depth + 1} />;
    case 'groups': {
      // h3 under the dialog's h2, one level deeper for each nesting.
      const Heading = `h${Math.min(3 + depth, 6)}` as 'h3' | 'h4' | 'h5' | 'h6';
      return (
        <ul className="inspection-groups">
          {value.groups.map((group, index) => (
            <li key={index} className="inspection-group">
              <Heading className="inspection-group-heading">{group.heading}</Heading>
              <Rows rows={group.rows} depth={depth + 1} />
            </li>
          ))}
        </ul>
      );
    }
  }
}
