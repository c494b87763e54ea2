#!/usr/bin/env node
// The installed `custodian` command: the CLI is TypeScript run through tsx,
// which is why tsx is a run-time dependency.
import { register } from 'tsx/esm/api';

register();
await import('../electron/headless/cli/main.ts');
