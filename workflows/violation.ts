/**
 * A content violation (Art.4 §10(5), Art.8 §5): reported by the customer
 * (who must report within 1 hour of learning of it; the report is recorded
 * as on time or late) or detected by the provider. Once confirmed, the
 * account is frozen for good (freezeContractSignal to the contract's
 * lifecycle), the rest of the package is recorded as forfeited, and there is
 * no way back: no update of this workflow or route of the API reactivates it.
 *
 * Workflow id: violation-<caseId>. The case row exists before the workflow
 * starts (POST /api/contracts/:id/violations).
 */
import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import { contractWorkflowId, type Actor } from '../domain/contract';
import { CASE_ACTIONS, type ViolationStatus } from '../domain/legal';
import { acts } from './activity-proxies';
import { caseTransitions, createSerial, invalidState } from './case-support';
import { freezeContractSignal } from './messages/contract-lifecycle';
import { getDeadlinesQuery } from './messages/deadlines';
import {
  confirmViolationUpdate,
  dismissViolationUpdate,
  getViolationQuery,
  type ConfirmViolationInput,
  type DismissViolationInput,
  type ViolationReport,
  type ViolationView,
} from './messages/violation';
import { nowIso } from './shared';

export type ViolationCaseInput = {
  caseId: string;
  contractId: string;
  contractNumber: string;
  reportedBy: 'customer' | 'provider';
  learnedAt: string;
  /** the customer's report and its timeliness (null when the provider detected it) */
  report: ViolationReport | null;
  description: string;
  messageRef?: string;
  actor: Actor;
};

export async function contentViolation(input: ViolationCaseInput): Promise<ViolationView> {
  const workflowId = workflowInfo().workflowId;
  const { caseId, contractId } = input;
  const serial = createSerial();
  const transition = caseTransitions(acts.recordCaseTransition, caseId, serial);
  let status: ViolationStatus = input.reportedBy === 'customer' ? 'reported' : 'detected';
  let confirmedAt: string | null = null;
  let freezeRequestedAt: string | null = null;
  let freezeDelivered: boolean | null = null;
  let forfeiture: ViolationView['forfeiture'] = null;
  const view = (): ViolationView => ({
    caseId,
    contractId,
    status,
    reportedBy: input.reportedBy,
    learnedAt: input.learnedAt,
    report: input.report,
    confirmedAt,
    freezeRequestedAt,
    freezeDelivered,
    forfeiture,
  });
  const head = `合同 ${input.contractNumber} 内容违规案件 ${caseId}`;
  /** The case allows the action (domain/legal.ts CASE_ACTIONS, the API checks the same table). */
  const requireOpen = (action: 'violationConfirmation' | 'violationDismissal') => {
    const { when, name } = CASE_ACTIONS[action];
    if (!when.includes(status)) throw invalidState(`violation case ${caseId} is ${status}: ${name} is no longer possible`);
  };

  setHandler(getViolationQuery, view);
  setHandler(getDeadlinesQuery, () => []);

  setHandler(
    confirmViolationUpdate,
    async (request) => {
      const at = nowIso();
      status = 'confirmed';
      confirmedAt = at;
      const recorded = await serial(() => acts.confirmViolation({ caseId, contractId, at, finding: request.finding, actor: request.actor }));
      forfeiture = { contractYear: recorded.contractYear, yearQuotaSms: recorded.yearQuotaSms, laterYears: recorded.laterYears, laterYearsSms: recorded.laterYearsSms };
      // Art.8 §5: the account is frozen for good; the lifecycle refuses every later submission
      freezeRequestedAt = nowIso();
      const reason = `内容违规经确认（案件 ${caseId}）：${request.finding}`;
      try {
        await getExternalWorkflowHandle(contractWorkflowId(contractId)).signal(freezeContractSignal, { caseId, reason, actor: request.actor });
        freezeDelivered = true;
      } catch {
        freezeDelivered = false;
      }
      const delivered = freezeDelivered;
      await transition({
        event: {
          key: 'freeze_requested',
          type: delivered ? 'freeze_requested' : 'freeze_not_delivered',
          at: freezeRequestedAt!,
          actor: request.actor,
          data: { workflowId: contractWorkflowId(contractId), signal: 'freezeContractSignal', delivered },
        },
        addFlags: delivered ? ['account_frozen'] : ['freeze_not_delivered'],
        data: { freeze: { requestedAt: freezeRequestedAt, delivered, permanent: true } },
        audit: { type: delivered ? 'contract.freeze_requested' : 'contract.freeze_not_delivered', data: { reason } },
      });
      const remaining = `本合同年度套餐（含已付增购）${recorded.yearQuotaSms} 条中未使用部分及其后 ${recorded.laterYears} 个合同年度的套餐（${recorded.laterYearsSms} 条）作废`;
      await acts.notify({
        id: `${workflowId}:confirmed`,
        contractId,
        audiences: ['party_a_contact', 'owner', 'legal', 'operations'],
        reason: 'violation_confirmed',
        subject: `${head}：违规已确认，账号永久冻结`,
        body: `经审核确认存在内容违规（${request.finding}）。根据合同约定，账号已永久冻结，无法继续使用短信服务，且不可申请重新开通；${remaining}。`,
        sms: { template: 'violation_confirmed' },
      });
      if (!delivered) {
        await acts.alertStaff({
          id: `${workflowId}:freeze-not-delivered`,
          audiences: ['legal', 'operations'],
          reason: 'violation_freeze_not_delivered',
          subject: `${head}：冻结指令未能送达合同流程`,
          body: `合同流程 ${contractWorkflowId(contractId)} 未接收冻结信号，请人工确认账号已停止发送。`,
        });
      }
      return view();
    },
    { validator: (_request: ConfirmViolationInput) => requireOpen('violationConfirmation') },
  );

  setHandler(
    dismissViolationUpdate,
    async (request) => {
      const at = nowIso();
      const before = status;
      status = 'dismissed';
      await transition({
        from: [before],
        to: 'dismissed',
        close: true,
        due: null,
        event: { key: 'dismissed', type: 'dismissed', at, actor: request.actor, data: { reason: request.reason } },
        data: { dismissal: { at, by: request.actor.id, reason: request.reason } },
        audit: { type: 'case.violation_dismissed', data: { reason: request.reason } },
      });
      await acts.notify({
        id: `${workflowId}:dismissed`,
        contractId,
        audiences: ['party_a_contact', 'owner', 'legal'],
        reason: 'violation_dismissed',
        subject: `${head}：经审核不构成违规`,
        body: `经审核，该事项不构成内容违规：${request.reason}`,
        sms: { template: 'violation_dismissed' },
      });
      return view();
    },
    { validator: (_request: DismissViolationInput) => requireOpen('violationDismissal') },
  );

  const reportLine = input.report
    ? `甲方于 ${input.report.reportedAt} 报告（获知于 ${input.learnedAt}），${input.report.onTime ? '在' : '超过'}获知后 1 小时的报告期限（${input.report.explanation}）${input.report.onTime ? '内' : ''}。`
    : `乙方于 ${input.learnedAt} 发现。`;
  await acts.notify({
    id: `${workflowId}:opened`,
    contractId,
    audiences: input.reportedBy === 'provider' ? ['party_a_contact', 'owner', 'legal', 'operations'] : ['owner', 'legal', 'operations'],
    reason: input.reportedBy === 'provider' ? 'violation_detected' : 'violation_reported',
    subject: `${head}：待审核`,
    body: `${reportLine}${input.description} 确认违规将永久冻结账号，剩余套餐作废。`,
    ...(input.reportedBy === 'provider' ? { sms: { template: 'violation_detected' as const } } : {}),
  });
  if (input.report && !input.report.onTime) {
    await acts.notify({
      id: `${workflowId}:reported-late`,
      contractId,
      audiences: ['legal', 'owner'],
      reason: 'violation_reported_late',
      subject: `${head}：甲方逾期报告`,
      body: `甲方未在获知后 1 小时内报告内容违规（合同第四条第10款第(5)项）：${input.report.explanation}`,
    });
  }

  await condition(() => status === 'confirmed' || status === 'dismissed');
  await condition(allHandlersFinished);
  return view();
}
