// A credential is named without regard to case: "GitHub" and "github" are the
// same name when one is saved (no two may share it) and when an agent, a
// plugin call or the CLI asks for one. One rule, so those can never disagree.

export function sameCredentialName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
