import { describe, expect, it } from 'vitest';
import { AUDIT_DECISIONS, AUDIT_OUTCOMES } from '../../../shared/agent-words';
import {
  DECISION_LABEL,
  OUTCOME_LABEL,
  OUTCOME_TONE,
} from '../../../renderer/features/activity/audit-words';
import { shortHash } from '../../../renderer/features/approvals/short-hash';

// The small display rules shared by the approval dialog and Activity. Pure TypeScript, tested on Node.

describe('shortHash', () => {
  const hex = 'ce70d30ebcfd5e1f00112233445566778899aabbccddeeff0011223344556677';

  it('keeps the first 12 hex digits, the same in the dialog and in Activity', () => {
    expect(shortHash(hex)).toBe('ce70d30ebcfd');
  });

  it('drops an algorithm prefix', () => {
    expect(shortHash(`sha256:${hex}`)).toBe('ce70d30ebcfd');
  });

  it('leaves a short value whole', () => {
    expect(shortHash('abc')).toBe('abc');
  });
});

describe('audit words', () => {
  it('names and colours every outcome, and names every decision, in words people use', () => {
    for (const outcome of AUDIT_OUTCOMES) {
      expect(OUTCOME_LABEL[outcome]).toMatch(/^[A-Z][a-z ]+$/);
      expect(['ok', 'bad', 'neutral']).toContain(OUTCOME_TONE[outcome]);
    }
    for (const decision of AUDIT_DECISIONS) expect(DECISION_LABEL[decision]).toMatch(/^by /);
    // Refusals never look like successes.
    expect(OUTCOME_TONE.denied).toBe('bad');
    expect(OUTCOME_TONE.timed_out).toBe('bad');
    expect(OUTCOME_TONE.succeeded).toBe('ok');
  });
});
