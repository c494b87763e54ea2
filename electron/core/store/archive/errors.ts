// One error type for every refusal of a plugin archive: `code` is stable (tests
// and the store UI switch on it), the message says what was refused and where.

export type ArchiveErrorCode =
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

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}
