/**
 * Activities: the only code that touches the outside world on a workflow's
 * behalf. Built once in the worker over injected dependencies; every one is
 * idempotent (ids derived from the workflow and step), so a retry never
 * writes, renders or notifies twice.
 */
import { createContractActivities } from './contracts';
import { createDocumentActivities } from './documents';
import { createNotificationActivities } from './notifications';
import type { ActivityDeps } from './deps';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createContractActivities(deps),
    ...createDocumentActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
