import { useState, type FormEvent } from 'react';
import type { CatalogSourceInfo } from '../../../shared/store';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { isCustodianError } from '../../../shared/errors';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { FormField } from '../../ui/FormField';

interface Props {
  onAdded: (catalog: CatalogSourceInfo) => void;
  onClose: () => void;
}

interface FieldErrors {
  url?: string;
  publicKey?: string;
}

/**
 * Add a catalog by its address and its publisher's public key. Main fetches
 * and verifies it first; a refusal (bad signature, unknown key, expired) is
 * shown here and nothing is added.
 */
export function AddCatalogDialog({ onAdded, onClose }: Props) {
  const [url, setUrl] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!url.trim()) errors.url = 'Enter the catalog’s address';
    if (!publicKey.trim()) errors.publicKey = 'Enter the publisher’s public key';
    setFieldErrors(errors);
    setFormError(null);
    if (errors.url || errors.publicKey) return;
    setBusy(true);
    try {
      onAdded(await invoke('store:addCatalog', { url: url.trim(), publicKey: publicKey.trim() }));
    } catch (caught) {
      if (isCustodianError(caught, 'invalid_input') && Object.keys(caught.fields).length > 0) {
        setFieldErrors({ url: caught.fields.url, publicKey: caught.fields.publicKey });
      }
      setFormError(windowMessageOf(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Add a catalog"
      description="Custodian fetches the catalog and checks its signature with the key before adding it."
      onClose={onClose}
    >
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        <FormField
          label="Catalog address"
          required
          help="The https address its publisher gives, ending in the catalog file."
          error={fieldErrors.url}
        >
          {(control) => (
            <input
              {...control}
              type="url"
              className="input"
              value={url}
              maxLength={2000}
              autoFocus
              spellCheck={false}
              autoComplete="off"
              placeholder="https://example.com/catalog.json"
              onChange={(event) => {
                setUrl(event.target.value);
                setFieldErrors((now) => ({ ...now, url: undefined }));
                setFormError(null);
              }}
            />
          )}
        </FormField>
        <FormField
          label="Public key"
          required
          help="The publisher’s Ed25519 public key, in base64. Get it from the publisher directly, not from the same page as the address."
          error={fieldErrors.publicKey}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              className="input input-code"
              value={publicKey}
              maxLength={200}
              spellCheck={false}
              autoComplete="off"
              autoCapitalize="off"
              onChange={(event) => {
                setPublicKey(event.target.value);
                setFieldErrors((now) => ({ ...now, publicKey: undefined }));
                setFormError(null);
              }}
            />
          )}
        </FormField>
        {formError && <Alert>{formError}</Alert>}
        <div className="actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Checking…' : 'Add catalog'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
