import { useEffect, useId, useRef, useState } from 'react';
import type { PluginInfo } from '../../../shared/plugins';
import type { InstallPlan, StoreProgress } from '../../../shared/store';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ChangesList } from './ChangesList';
import { CapabilityList, FactSection, ToolsList, TypesList } from './PluginFacts';
import { ACTION_VERB, formatSize, planTitle, quoted, trustSentence } from './store-words';
import { newProgressId, useDownloadProgress } from './use-store';

/** What to install: a catalog's plugin (downloaded and checked first), or a plan main already made. */
export type InstallRequest =
  | {
      kind: 'catalog';
      catalogId: string;
      name: string;
      version?: string;
      /** What the person asked for, until the plan says exactly: "Install", "Update". */
      verb: 'Install' | 'Update';
    }
  | { kind: 'plan'; plan: InstallPlan };

interface Props {
  request: InstallRequest;
  onInstalled: (plugin: PluginInfo, plan: InstallPlan) => void;
  onClose: () => void;
}

/** The plan for a catalog's plugin: main downloads and checks its archive, reporting progress. */
function usePlan(request: InstallRequest, progressId: string) {
  const [plan, setPlan] = useState<InstallPlan | null>(
    request.kind === 'plan' ? request.plan : null,
  );
  const [error, setError] = useState<string | null>(null);
  // A token main holds for us until it is installed or cancelled.
  const pending = useRef<string | null>(request.kind === 'plan' ? request.plan.token : null);
  const key = request.kind === 'catalog' ? JSON.stringify(request) : null;

  useEffect(() => {
    if (!key) return;
    const { catalogId, name, version } = JSON.parse(key) as Extract<
      InstallRequest,
      { kind: 'catalog' }
    >;
    let live = true;
    invoke('store:prepare', { catalogId, name, version, progressId }).then(
      (answer) => {
        // Closed while it downloaded: let main drop what it prepared.
        if (!live) return void cancelPlan(answer.token);
        pending.current = answer.token;
        setPlan(answer);
      },
      (caught: unknown) => live && setError(windowMessageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [key, progressId]);

  // Closing without installing (Cancel, Escape) gives the prepared archive back.
  // Checked a moment later, so React's development double mount cancels nothing.
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      setTimeout(() => {
        if (mounted.current || !pending.current) return;
        cancelPlan(pending.current);
        pending.current = null;
      });
    };
  }, []);

  /** The plan was used: nothing is left to cancel. */
  const consumed = () => {
    pending.current = null;
  };
  return { plan, error, consumed };
}

function cancelPlan(token: string) {
  invoke('store:cancel', { token }).catch(() => undefined);
}

function DownloadProgress({ name, progress }: { name: string; progress: StoreProgress | null }) {
  const labelId = useId();
  const total = progress?.total ?? null;
  const received = progress?.received ?? 0;
  return (
    <div className="store-progress">
      <p id={labelId} className="store-progress-label">
        Downloading and checking {quoted(name)}…
      </p>
      {progress && total ? (
        <progress aria-labelledby={labelId} max={total} value={Math.min(received, total)} />
      ) : (
        <progress aria-labelledby={labelId} />
      )}
      <p className="muted small" role="status">
        {!progress
          ? 'Connecting…'
          : total
            ? `${formatSize(received)} of ${formatSize(total)}`
            : `${formatSize(received)} so far`}
      </p>
    </div>
  );
}

/** "there is no signature at X" → "There is no signature at X." */
function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function TrustNote({ plan }: { plan: InstallPlan }) {
  const { trust } = plan;
  if (trust.kind === 'unsigned')
    return (
      <div className="store-trust store-trust-unsigned">
        <p className="store-trust-title">
          <span aria-hidden="true">⚠ </span>
          {trustSentence(trust)}
        </p>
        {trust.reason && <p>{sentence(trust.reason)}</p>}
        <p>
          No catalog you trust lists or signed it, so nobody has checked what it does. Install it
          only if you built it yourself, or you trust whoever gave it to you.
        </p>
      </div>
    );
  return (
    <div className="store-trust store-trust-ok">
      <p className="store-trust-title">
        <span aria-hidden="true">✓ </span>
        {trustSentence(trust)}
      </p>
      <p className="muted small">
        {trust.kind === 'catalog'
          ? 'Its size and SHA-256 checksum match what the catalog lists.'
          : 'Its signature was checked against that catalog’s key.'}
      </p>
    </div>
  );
}

/**
 * Install, with consent: main downloads and checks the archive (a progress
 * bar while it does), then this shows what the plugin may do, its tools and
 * types, where it is from and who vouches for it, and for an update what
 * changes. Nothing is installed until the person agrees; an unsigned archive
 * and a downgrade each need an explicit tick first. Cancel and Escape give
 * the prepared archive back to main.
 */
export function InstallConsentDialog({ request, onInstalled, onClose }: Props) {
  const [progressId] = useState(newProgressId);
  const progress = useDownloadProgress(progressId);
  const { plan, error, consumed } = usePlan(request, progressId);
  const [unsignedConfirmed, setUnsignedConfirmed] = useState(false);
  const [downgradeConfirmed, setDowngradeConfirmed] = useState(false);
  const [installing, setInstalling] = useState(false);
  const [installError, setInstallError] = useState<string | null>(null);
  const unsignedId = useId();
  const downgradeId = useId();

  const name = request.kind === 'plan' ? request.plan.name : request.name;
  const unsigned = plan?.trust.kind === 'unsigned';
  const downgrade = plan?.action === 'downgrade';
  const ready =
    plan !== null &&
    (!unsigned || unsignedConfirmed) &&
    (!downgrade || downgradeConfirmed) &&
    !installing;

  const install = async () => {
    if (!plan) return;
    setInstalling(true);
    setInstallError(null);
    try {
      const plugin = await invoke('store:install', {
        token: plan.token,
        allowUnsigned: unsigned && unsignedConfirmed,
        allowDowngrade: downgrade && downgradeConfirmed,
      });
      consumed();
      onInstalled(plugin, plan);
    } catch (caught) {
      setInstallError(windowMessageOf(caught));
      setInstalling(false);
    }
  };

  const title = plan
    ? planTitle(plan)
    : request.kind === 'catalog' && request.verb === 'Update' && request.version
      ? `Update ${quoted(name)} to ${request.version}?`
      : `${request.kind === 'catalog' ? request.verb : 'Install'} ${quoted(name)}?`;

  return (
    <Dialog
      size="large"
      title={title}
      description={
        plan
          ? 'Read what it will be allowed to do. Nothing is installed until you agree.'
          : 'Custodian downloads it and checks it before showing you what it may do.'
      }
      onClose={onClose}
    >
      {!plan && !error && <DownloadProgress name={name} progress={progress} />}
      {error && <Alert>{error}</Alert>}
      {plan && (
        <div className="store-consent">
          <TrustNote plan={plan} />
          {downgrade && (
            <Alert tone="warning">
              <strong>This is an older version.</strong> {plan.version} replaces the installed{' '}
              {plan.installedVersion ?? 'version'}; fixes made since may be lost, and credentials
              saved by the newer version may not work with it.
            </Alert>
          )}
          {plan.description && <p>{plan.description}</p>}
          {plan.changes && plan.installedVersion && (
            <FactSection title={`What changes from ${plan.installedVersion}`}>
              <ChangesList
                changes={plan.changes}
                label={`Changes from ${plan.installedVersion} to ${plan.version}`}
              />
            </FactSection>
          )}
          <FactSection title="What it may do">
            <CapabilityList
              capabilities={plan.capabilities}
              added={plan.changes?.addedCapabilities}
            />
          </FactSection>
          <FactSection title="Tools for agents">
            <ToolsList tools={plan.tools} />
          </FactSection>
          <FactSection title="Credential types">
            <TypesList types={plan.credentialTypes} />
          </FactSection>
          <FactSection title="About this download">
            <dl className="facts">
              <div>
                <dt>Version</dt>
                <dd>
                  {plan.version}
                  {plan.installedVersion && ` (installed now: ${plan.installedVersion})`}
                </dd>
              </div>
              <div>
                <dt>Author</dt>
                <dd>{plan.author || 'Not given'}</dd>
              </div>
              <div>
                <dt>From</dt>
                <dd className="break-anywhere">{plan.from}</dd>
              </div>
              <div>
                <dt>Size</dt>
                <dd>{formatSize(plan.size)}</dd>
              </div>
              <div>
                <dt>SHA-256</dt>
                <dd className="break-anywhere">
                  <code className="code">{plan.sha256}</code>
                </dd>
              </div>
            </dl>
          </FactSection>
        </div>
      )}
      {/* Kept in view at the dialog's foot: what must be ticked sits beside Install. */}
      <div className="store-dialog-footer">
        {installError && <Alert>{installError}</Alert>}
        {downgrade && plan && (
          <div className="checkbox-row store-confirm">
            <input
              id={downgradeId}
              type="checkbox"
              className="checkbox"
              checked={downgradeConfirmed}
              onChange={(event) => setDowngradeConfirmed(event.target.checked)}
            />
            <label htmlFor={downgradeId}>Install the older version {plan.version} anyway</label>
          </div>
        )}
        {unsigned && (
          <div className="checkbox-row store-confirm">
            <input
              id={unsignedId}
              type="checkbox"
              className="checkbox"
              checked={unsignedConfirmed}
              onChange={(event) => setUnsignedConfirmed(event.target.checked)}
            />
            <label htmlFor={unsignedId}>
              I understand nobody vouches for this file, and I want to install it
            </label>
          </div>
        )}
        <div className="actions">
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          {!error && (
            <Button
              variant="primary"
              onClick={() => void install()}
              disabled={!ready}
              aria-busy={installing}
            >
              {installing ? 'Installing…' : plan ? ACTION_VERB[plan.action] : 'Install'}
            </Button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
