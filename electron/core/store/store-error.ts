import { CustodianError } from '../../../shared/errors';

// A refusal by the plugin store. To the window it is VALIDATION_FAILED with a
// message written for the person; to the CLI its own code says what flag or
// decision would change the answer.
export type StoreRefusal = 'refused' | 'unsigned' | 'downgrade' | 'consent_required';

export class StoreError extends CustodianError {
  constructor(
    readonly refusal: StoreRefusal,
    message: string,
  ) {
    super('VALIDATION_FAILED', message);
    this.name = 'StoreError';
  }
}
