import { useState } from 'react';
import type { CatalogSourceInfo, RefreshResult } from '../../../shared/store';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { formatDate } from '../credentials/format-date';
import { countOf } from '../plugins/capabilities';
import { AddCatalogDialog } from './AddCatalogDialog';
import { catalogTitle, quoted } from './store-words';

interface Props {
  catalogs: readonly CatalogSourceInfo[] | null;
  error: string | null;
  /** Read the catalogs (and what they list) again after a change. */
  onChanged: () => void;
  /** Said politely to screen readers: "Added catalog …". */
  announce: (message: string) => void;
}

/** What the last refresh from here answered, per catalog id. */
type Outcomes = ReadonlyMap<string, RefreshResult>;

function outcomeText(result: RefreshResult): string | null {
  if (!result.ok) return null;
  return result.changed
    ? `Refreshed: now at sequence ${result.sequence}.`
    : `Up to date (sequence ${result.sequence}).`;
}

interface CardProps {
  catalog: CatalogSourceInfo;
  outcome: RefreshResult | undefined;
  busy: boolean;
  onRefresh: (catalog: CatalogSourceInfo) => void;
  onRemove: (catalog: CatalogSourceInfo) => void;
}

function CatalogCard({ catalog, outcome, busy, onRefresh, onRemove }: CardProps) {
  const title = catalogTitle(catalog);
  // The refusal just answered, or the one main remembers from earlier this session.
  const refusal = outcome && !outcome.ok ? outcome.error : catalog.lastError;
  return (
    <li className="catalog" data-catalog-id={catalog.id}>
      <div className="plugin-title">
        <h3 className="plugin-name">{title}</h3>
        {catalog.bundled && <span className="badge badge-off">Comes with Custodian</span>}
        {catalog.stale && <span className="badge badge-warn">Expired</span>}
        {refusal && <span className="badge status-error">Last refresh refused</span>}
      </div>
      <dl className="facts catalog-facts">
        <div className="catalog-address">
          <dt>Address</dt>
          <dd className="break-anywhere">{catalog.url}</dd>
        </div>
        <div>
          <dt>Key ID</dt>
          <dd>
            <code className="code">{catalog.keyId}</code>
          </dd>
        </div>
        <div>
          <dt>Sequence</dt>
          <dd>{catalog.sequence ?? 'Not read yet'}</dd>
        </div>
        <div>
          <dt>{catalog.stale ? 'Expired' : 'Expires'}</dt>
          <dd>
            {catalog.expires ? (
              <time dateTime={catalog.expires}>{formatDate(catalog.expires)}</time>
            ) : (
              'Not read yet'
            )}
          </dd>
        </div>
        <div>
          <dt>Plugins</dt>
          <dd>{countOf(catalog.pluginCount, 'plugin')}</dd>
        </div>
        {catalog.addedAt && (
          <div>
            <dt>Added</dt>
            <dd>
              <time dateTime={catalog.addedAt}>{formatDate(catalog.addedAt)}</time>
            </dd>
          </div>
        )}
      </dl>
      {refusal && (
        <Alert>
          <strong>The last refresh was refused.</strong> {refusal.message}
          {catalog.sequence !== null &&
            !/previous copy|stays in use/i.test(refusal.message) &&
            ' The copy Custodian had before stays in use.'}
        </Alert>
      )}
      {catalog.stale && (
        <Alert tone="warning">
          This catalog is past its expiry. Its plugins are still listed, but its publisher should
          sign a fresh copy; refresh it later.
        </Alert>
      )}
      {outcome?.ok && (
        <p className="muted small" role="status">
          {outcomeText(outcome)}
        </p>
      )}
      <div className="plugin-actions">
        <Button
          onClick={() => onRefresh(catalog)}
          disabled={busy}
          aria-busy={busy}
          aria-label={`Refresh ${title}`}
        >
          {busy ? 'Refreshing…' : 'Refresh'}
        </Button>
        {!catalog.bundled && (
          <Button
            variant="danger-quiet"
            onClick={() => onRemove(catalog)}
            aria-label={`Remove ${title}`}
          >
            Remove
          </Button>
        )}
      </div>
    </li>
  );
}

/**
 * The catalogs the Store lists plugins from: add one by address and key,
 * refresh, remove. A refused refresh says why, and the previous copy stays.
 */
export function CatalogsSection({ catalogs, error, onChanged, announce }: Props) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<CatalogSourceInfo | null>(null);
  const [refreshing, setRefreshing] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Outcomes>(new Map());
  const [actionError, setActionError] = useState<string | null>(null);

  const refresh = async (ids: readonly string[], id?: string) => {
    setRefreshing((now) => new Set([...now, ...ids]));
    setActionError(null);
    try {
      const results = await invoke('store:refresh', id ? { id } : {});
      setOutcomes((now) => {
        const next = new Map(now);
        for (const result of results) next.set(result.id, result);
        return next;
      });
      const refused = results.filter((result) => !result.ok).length;
      announce(
        refused === 0
          ? `Refreshed ${countOf(results.length, 'catalog')}.`
          : `${countOf(refused, 'catalog')} refused; the previous copy stays in use.`,
      );
    } catch (caught) {
      setActionError(windowMessageOf(caught));
    } finally {
      setRefreshing((now) => {
        const next = new Set(now);
        for (const each of ids) next.delete(each);
        return next;
      });
      onChanged();
    }
  };

  const remote = catalogs?.filter((catalog) => !catalog.bundled) ?? [];

  return (
    <>
      <div className="store-toolbar">
        <Button variant="primary" onClick={() => setAdding(true)}>
          Add catalog…
        </Button>
        {remote.length > 0 && (
          <Button
            onClick={() =>
              void refresh(
                remote.map((catalog) => catalog.id),
                undefined,
              )
            }
            disabled={remote.some((catalog) => refreshing.has(catalog.id))}
          >
            Refresh all
          </Button>
        )}
      </div>
      {error && <Alert>{error}</Alert>}
      {actionError && <Alert>{actionError}</Alert>}
      {catalogs === null ? (
        !error && <p className="muted">Loading…</p>
      ) : catalogs.length === 0 ? (
        <p className="muted">
          No catalogs yet. Add one with the address and public key its publisher gives you.
        </p>
      ) : (
        <ul className="catalog-list" aria-label="Catalogs">
          {catalogs.map((catalog) => (
            <CatalogCard
              key={catalog.id}
              catalog={catalog}
              outcome={outcomes.get(catalog.id)}
              busy={refreshing.has(catalog.id)}
              onRefresh={(c) => void refresh([c.id], c.id)}
              onRemove={setRemoving}
            />
          ))}
        </ul>
      )}
      {adding && (
        <AddCatalogDialog
          onAdded={(catalog) => {
            setAdding(false);
            announce(
              `Added catalog ${quoted(catalogTitle(catalog))} with ${countOf(catalog.pluginCount, 'plugin')}.`,
            );
            onChanged();
          }}
          onClose={() => setAdding(false)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove catalog ${quoted(catalogTitle(removing))}?`}
          description="Its plugins are no longer listed in the Store."
          confirmLabel="Remove"
          busyLabel="Removing…"
          action={async () => {
            await invoke('store:removeCatalog', { id: removing.id });
          }}
          onDone={() => {
            announce(`Removed catalog ${quoted(catalogTitle(removing))}.`);
            setRemoving(null);
            setOutcomes((now) => {
              const next = new Map(now);
              next.delete(removing.id);
              return next;
            });
            onChanged();
          }}
          onClose={() => setRemoving(null)}
        >
          <p>
            Plugins you installed from it stay installed and keep working, but the Store will not
            offer their updates. You can add it again with its address and key.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
