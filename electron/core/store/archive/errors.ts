import { CustodianError } from '../../../../shared/errors';

// Every refusal of a plugin archive is a CustodianError with code `refused`;
// its `reason` is one of these words, stable because tests and the store's
// messages tell the checks apart. The message says what was refused and where.

export type ArchiveRefusal =
  | 'archive_size'
  | 'archive_hash'
  | 'bad_zip'
  | 'path_traversal'
  | 'absolute_path'
  | 'bad_name'
  | 'link'
  | 'not_a_file'
  | 'duplicate'
  | 'too_many_entries'
  | 'too_large'
  | 'zip_bomb'
  | 'unsupported_entry'
  | 'unexpected_file'
  | 'missing_file'
  | 'bad_descriptor'
  | 'descriptor_mismatch'
  | 'file_size'
  | 'file_hash'
  | 'bad_manifest'
  | 'bad_wasm'
  | 'bad_plugin_folder';

/** A refused archive: `refused`, with the archive check that refused it as `reason`. */
export function archiveRefusal(reason: ArchiveRefusal, message: string): CustodianError {
  return new CustodianError('refused', message, { reason });
}

/** True for an archive check's refusal (it has one of the reasons above). */
export function isArchiveRefusal(error: unknown): error is CustodianError {
  return error instanceof CustodianError && error.code === 'refused' && error.reason !== undefined;
}
