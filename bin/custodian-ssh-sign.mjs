#!/usr/bin/env node
// `custodian-ssh-sign`: the program to give git as gpg.ssh.program. It is
// `custodian ssh-sign` with git's ssh-keygen arguments, as one word, since git
// runs the program it is given without arguments of its own:
//   git config gpg.ssh.program custodian-ssh-sign
// The data folder comes from CUSTODIAN_DATA_DIR, else the app's own.
process.argv.splice(2, 0, 'ssh-sign');
await import('./custodian.mjs');
