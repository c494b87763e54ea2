import type { Target } from './harness';

// What issue 17 asks of a quiet run, each stated against a peer measured in
// the same run: the agent figures against durable_floor (a bare SDK server
// with one durable append in a second process), the vault against plain JSON,
// the concurrent run against the bare server. results.json says for each
// whether it was met; the README says why where it was not.

export const TARGETS: Target[] = [
  {
    name: 'list_within_floor',
    label: 'list_credentials through the bridge ≤ 1.3 × durable_floor',
    of: { ratio: 'bridge_list_credentials/durable_floor' },
    atMost: 1.3,
  },
  {
    name: 'sign_above_floor',
    label: 'pgp_sign Ed25519 − durable_floor ≤ 1.5 ms',
    of: { ratio: 'pgp_sign_ed25519-durable_floor' },
    atMost: 1.5,
  },
  {
    name: 'sign_vs_gpg',
    label: 'gpg per call / pgp_sign Ed25519 ≥ 4',
    of: { ratio: 'gpg_sign_ed25519/pgp_sign_ed25519' },
    atLeast: 4,
  },
  {
    name: 'cold_start',
    label: 'plugin cold start ≤ 150 ms',
    of: { figure: 'plugin_cold_start', metric: 'median_ms' },
    atMost: 150,
  },
  {
    name: 'save_vs_plain',
    label: 'vault_10k_save ≤ 1.3 × plain_10k_save',
    of: { ratio: 'vault_10k_save/plain_10k_save' },
    atMost: 1.3,
  },
  {
    name: 'concurrent_errors',
    label: '200 concurrent calls: 0 errors',
    of: { figure: 'concurrent_200', metric: 'errors' },
    atMost: 0,
  },
  {
    name: 'concurrent_throughput',
    label: '200 concurrent calls: calls a second ≥ ½ the bare server’s',
    of: { ratio: 'concurrent_200/bare_stdio_concurrent_200' },
    atLeast: 0.5,
  },
];
