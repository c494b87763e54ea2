// The abort handler every plugin is compiled with (`--use abort=...`, which
// npm run plugins:build passes). Without it asc imports `env.abort`, which no
// Custodian host provides, and the module would not load.
//
// AssemblyScript calls abort for `throw`, failed assertions and runtime
// errors; it must not return. We trap, and deliberately drop the message: it
// may be built from a credential value, and a trap reaches the host only as
// "the plugin trapped". Report expected failures with Response.error instead.

function custodianAbort(
  _message: string | null,
  _fileName: string | null,
  _line: u32,
  _column: u32,
): void {
  unreachable();
}
