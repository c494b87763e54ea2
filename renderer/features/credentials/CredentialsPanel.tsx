import { useMemo, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { AddCredentialDialog } from './AddCredentialDialog';
import { CredentialFilters } from './CredentialFilters';
import { CredentialList } from './CredentialList';
import { DeleteCredentialDialog } from './DeleteCredentialDialog';
import { EditCredentialDialog } from './EditCredentialDialog';
import { useCredentialList } from './use-credential-list';
import { useCredentialTypes } from './use-credential-types';

type Open =
  | { dialog: 'none' }
  | { dialog: 'add' }
  | { dialog: 'edit'; credential: CredentialSummary }
  | { dialog: 'delete'; credential: CredentialSummary };

/** The unlocked vault's credentials: filters, the list, and the add, edit and delete dialogs. */
export function CredentialsPanel() {
  const [query, setQuery] = useState('');
  const [type, setType] = useState('');
  const [open, setOpen] = useState<Open>({ dialog: 'none' });
  // Announced politely after each change, so a screen reader hears what happened.
  const [announcement, setAnnouncement] = useState('');
  const types = useCredentialTypes();
  const list = useCredentialList(query, type);
  const typeNames = useMemo(
    () => new Map((types.types ?? []).map((t) => [t.name, t.display_name])),
    [types.types],
  );

  const close = () => setOpen({ dialog: 'none' });
  // Add and Edit close themselves: after a save a plugin checked, they first show what it found.
  const changed = (message: string) => {
    setAnnouncement(message);
    list.reload();
  };
  const done = (message: string) => {
    close();
    changed(message);
  };
  const filtered = query.trim() !== '' || type !== '';

  return (
    <section className="stack">
      <div className="panel-header">
        <ScreenHeading>Credentials</ScreenHeading>
        <Button
          variant="primary"
          onClick={() => {
            types.reload();
            setOpen({ dialog: 'add' });
          }}
          disabled={!types.types}
        >
          Add credential
        </Button>
      </div>
      <CredentialFilters
        query={query}
        onQuery={setQuery}
        type={type}
        onType={setType}
        types={types.types ?? []}
      />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {types.error && <Alert>{types.error}</Alert>}
      {list.error && <Alert>{list.error}</Alert>}
      {list.items === null ? (
        <p className="muted">Loading…</p>
      ) : list.items.length === 0 ? (
        <div className="empty-state">
          {filtered ? (
            <p>No credentials match this search.</p>
          ) : (
            <>
              <p className="empty-state-title">No credentials yet</p>
              <p className="muted">
                Add an API key, a username and password, or a secret note. Agents use them through
                tools; they never see the values.
              </p>
            </>
          )}
        </div>
      ) : (
        <CredentialList
          items={list.items}
          typeNames={typeNames}
          onEdit={(credential) => setOpen({ dialog: 'edit', credential })}
          onDelete={(credential) => setOpen({ dialog: 'delete', credential })}
        />
      )}
      {open.dialog === 'add' && types.types && (
        <AddCredentialDialog
          types={types.types}
          onSaved={(saved) => changed(`Added “${saved.name}”.`)}
          onClose={close}
        />
      )}
      {open.dialog === 'edit' && types.types && (
        <EditCredentialDialog
          credential={open.credential}
          types={types.types}
          onSaved={(saved) => changed(`Saved “${saved.name}”.`)}
          onClose={close}
        />
      )}
      {open.dialog === 'delete' && (
        <DeleteCredentialDialog
          credential={open.credential}
          onDeleted={(deleted) => done(`Deleted “${deleted.name}”.`)}
          onClose={close}
        />
      )}
    </section>
  );
}
