import { z } from 'zod';
import { auditListSchema, auditQuerySchema } from '../../../shared/agents';
import type { AuditLog } from '../audit';
import { useCase } from './use-case';

// The Activity view and `custodian audit`: what agents did, and whether the
// chained log is whole.

export interface AuditUseCaseServices {
  audit: Pick<AuditLog, 'query' | 'list' | 'verify'>;
}

export function auditUseCases({ audit }: AuditUseCaseServices) {
  return {
    /** Newest first. */
    'audit.query': useCase({
      callers: ['window'],
      input: auditQuerySchema,
      run: (query) => audit.query(query),
    }),
    /** `custodian audit list`: every match, oldest first, page by page. */
    'audit.list': useCase({
      callers: ['cli', 'window'],
      input: auditListSchema,
      run: (filter) => audit.list(filter),
    }),
    /** The first problem, or what was checked; the command line exits non-zero on a problem. */
    'audit.verify': useCase({
      callers: ['window', 'cli'],
      input: z.object({}),
      run: () => audit.verify(),
    }),
  };
}
