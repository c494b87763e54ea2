import type { AuditRecordInfo } from '../../../shared/agents';
import { shortHash } from '../approvals/short-hash';
import { DECISION_LABEL, OUTCOME_LABEL, OUTCOME_TONE } from './audit-words';
import { formatTime } from './format-time';

interface Props {
  entries: readonly AuditRecordInfo[];
}

const COLUMNS = ['Time', 'Agent', 'Tool', 'Credential', 'Outcome', 'Detail', 'Payload'] as const;

/**
 * The log as a real table, so a screen reader can move by row and column. On a
 * narrow window (or at 200% zoom) each row becomes a small card: every cell
 * carries its column name in data-label for that layout.
 */
export function ActivityTable({ entries }: Props) {
  return (
    <table className="audit-table">
      <caption className="visually-hidden">Agent activity, newest first</caption>
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.seq} data-seq={entry.seq}>
            <td data-label="Time">
              <time dateTime={entry.time}>{formatTime(entry.time)}</time>
            </td>
            <td data-label="Agent" className="nowrap">
              {entry.client}
            </td>
            <td data-label="Tool" className="nowrap">
              <code className="code">{entry.tool}</code>
            </td>
            <td data-label="Credential" className="break-anywhere">
              {entry.credential ?? <span className="muted">None</span>}
            </td>
            <td data-label="Outcome">
              <span className={`badge outcome-${OUTCOME_TONE[entry.outcome]}`}>
                {OUTCOME_LABEL[entry.outcome]}
              </span>
              {entry.decision && (
                <span className="muted small outcome-decision">
                  {DECISION_LABEL[entry.decision]}
                </span>
              )}
            </td>
            <td data-label="Detail" className="break-anywhere">
              {entry.detail ?? ''}
            </td>
            <td data-label="Payload" className="nowrap">
              <code className="code" title={entry.payloadHash}>
                {shortHash(entry.payloadHash)}
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
