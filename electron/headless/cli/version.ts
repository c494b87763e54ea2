import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The bundle (build/scripts/build-cli.mjs) has the version written in; run
// from the sources, package.json sits three folders above this file.

declare const __CUSTODIAN_VERSION__: string | undefined;

export const CLI_VERSION =
  typeof __CUSTODIAN_VERSION__ === 'string'
    ? __CUSTODIAN_VERSION__
    : (
        JSON.parse(
          readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8'),
        ) as { version: string }
      ).version;
