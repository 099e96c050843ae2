/**
 * The existing contract book brought in: POST /api/contract-imports with up
 * to 1,000 contracts, checked and planned row by row (a dry run writes
 * nothing), committed row by row (services/contract-imports.ts).
 */
import { ZImportRequest } from '../../domain/contract-import';
import { importContracts } from '../../services/contract-imports';
import { workflowStartDeps, type AppDeps } from '../deps';
import { defineRoute } from '../http';

/** 1,000 contracts of about 3 KB each, with room for long names and many payments. */
export const IMPORT_BODY_LIMIT = '16mb';

export function contractImportRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/contract-imports',
      roles: ['admin', 'sales', 'finance'],
      summary: 'bring in contracts already signed on paper (with their payments and renewals) where they stand; dryRun: true shows each row\'s plan and writes nothing',
      body: ZImportRequest,
      heavy: true,
      handler: async ({ body, user, requestId }) =>
        importContracts(
          { ...workflowStartDeps(deps), now: async () => (deps.temporalClock ? deps.temporalClock() : Date.now()) },
          { dryRun: body.dryRun, file: body.file, contracts: body.contracts, actor: { id: user.id, role: user.role, requestId } },
        ),
    }),
  ];
}
