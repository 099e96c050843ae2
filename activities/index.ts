/**
 * Activities: the only code that touches the outside world on a workflow's
 * behalf. Built once in the worker over injected dependencies; every one is
 * idempotent (ids derived from the workflow and step), so a retry never
 * writes, renders or notifies twice.
 */
import { createBillingActivities } from './billing';
import { createCalendarActivities } from './calendar';
import { createCaseActivities } from './cases';
import { createContractActivities } from './contracts';
import { createDigestActivities } from './digest';
import { createLifecycleActivities } from './lifecycle';
import { createDocumentActivities } from './documents';
import { createLegalActivities } from './legal';
import { createNotificationActivities } from './notifications';
import { createSmsActivities } from './sms';
import { createStaffDeliveryActivities } from './staff-deliveries';
import type { ActivityDeps } from './deps';
import { createWorkflowActivities } from './workflows';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createContractActivities(deps),
    ...createLifecycleActivities(deps),
    ...createDigestActivities(deps),
    ...createBillingActivities(deps),
    ...createCaseActivities(deps),
    ...createCalendarActivities(deps),
    ...createDocumentActivities(deps),
    ...createLegalActivities(deps),
    ...createNotificationActivities(deps),
    ...createWorkflowActivities(deps),
    ...createSmsActivities(deps),
    ...createStaffDeliveryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
