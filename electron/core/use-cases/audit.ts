import { z } from 'zod';
import { auditQuerySchema } from '../../../shared/agents';
import type { AuditLog } from '../audit';
import { useCase } from './use-case';

// The Activity view: what agents did, and whether the chained log is whole.

export interface AuditUseCaseServices {
  audit: Pick<AuditLog, 'query' | 'verify'>;
}

export function auditUseCases({ audit }: AuditUseCaseServices) {
  return {
    /** Newest first. */
    'audit.query': useCase({
      callers: ['window'],
      input: auditQuerySchema,
      run: (query) => audit.query(query),
    }),
    'audit.verify': useCase({
      callers: ['window'],
      input: z.object({}),
      run: () => audit.verify(),
    }),
  };
}
