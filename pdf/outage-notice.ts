/**
 * 服务中断通知 and 服务恢复通知: Party B tells Party A of an interruption within
 * the notice period after learning of it (Art.5 §8), and again when service is back.
 */
import { formatShanghai, formatShanghaiDateCn, toInstant, type Instant } from './format';
import { addressee, documentTitle, heading, keyValueTable, paragraph, renderPdf, signOff } from './layout';

export const OUTAGE_CAUSE_LABELS: Record<string, string> = {
  adjustment: '系统调整',
  upgrade: '系统升级',
  expansion: '系统扩容',
  network: '网络故障',
  equipment: '设备故障',
  other: '其他原因',
};

export interface OutageNoticePdfInput {
  documentId: string;
  partyAName: string;
  /** a code of OUTAGE_CAUSE_LABELS (upgrade, expansion, network, equipment…) or a description in Chinese */
  cause: string;
  description: string;
  startedAt: Instant;
  /** when Party B learned of it: the notice period runs from here */
  learnedAt: Instant;
  issuedAt: Instant;
  restoredAt?: Instant;
  contractNumber?: string;
  /** Party B, who sends the notice; '乙方' when omitted */
  partyBName?: string;
  /** Art.5 §8 notice period in hours (the contract: 24) */
  noticeHours?: number;
}

export type RestorationNoticePdfInput = OutageNoticePdfInput & { restoredAt: Instant };

const HOUR_MS = 3_600_000;

export function causeLabel(cause: string): string {
  return OUTAGE_CAUSE_LABELS[cause] ?? cause;
}

/** '2 小时 5 分钟', '3 天 1 小时' */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} 天`);
  if (hours) parts.push(`${hours} 小时`);
  if (mins || parts.length === 0) parts.push(`${mins} 分钟`);
  return parts.join(' ');
}

function meta(input: OutageNoticePdfInput, title: string) {
  const numberPart = input.contractNumber ? `　合同编号：${input.contractNumber}` : '';
  return {
    documentId: input.documentId,
    title: `${title}${input.contractNumber ? `（合同编号：${input.contractNumber}）` : ''}`,
    subject: title,
    header: `${title}${numberPart}`,
    issuedAt: input.issuedAt,
  };
}

export async function renderOutageNoticePdf(input: OutageNoticePdfInput): Promise<Buffer> {
  const hours = input.noticeHours ?? 24;
  const noticeDue = new Date(toInstant(input.learnedAt).getTime() + hours * HOUR_MS);
  const sender = input.partyBName ?? '乙方';
  return renderPdf(
    (doc) => {
      documentTitle(doc, '服务中断通知', { subtitles: input.contractNumber ? [`合同编号：${input.contractNumber}`] : [] });
      addressee(doc, `${input.partyAName}：`);
      paragraph(
        doc,
        `根据合同第五条第8款，乙方因对系统进行调整、升级、扩容等措施而导致服务中断，或因网络、设备等因素造成服务延时、修改及暂停的，应在获知后${hours}小时内通知甲方。现将本次服务中断情况通知如下：`,
        { firstLineIndent: 21, gap: 8 },
      );
      const rows: Array<[string, string]> = [
        ['中断原因', causeLabel(input.cause)],
        ['中断开始时间', `${formatShanghai(input.startedAt)}（北京时间）`],
        ['乙方获知时间', `${formatShanghai(input.learnedAt)}（北京时间）`],
        ['通知时限', `${formatShanghai(noticeDue)}（北京时间）前（获知后 ${hours} 小时内）`],
        ['本通知发出时间', `${formatShanghai(input.issuedAt)}（北京时间）`],
        ['当前状态', input.restoredAt ? `已于 ${formatShanghai(input.restoredAt)}（北京时间）恢复` : '处理中，恢复后另行通知'],
      ];
      keyValueTable(doc, rows);
      heading(doc, '情况说明');
      paragraph(doc, input.description);
      paragraph(doc, '乙方正在全力处理，服务恢复后将另行书面通知。由此给贵单位带来的不便，敬请谅解。', { firstLineIndent: 21 });
      signOff(doc, sender, formatShanghaiDateCn(input.issuedAt));
    },
    meta(input, '服务中断通知'),
  );
}

export async function renderRestorationNoticePdf(input: RestorationNoticePdfInput): Promise<Buffer> {
  const sender = input.partyBName ?? '乙方';
  const duration = toInstant(input.restoredAt).getTime() - toInstant(input.startedAt).getTime();
  return renderPdf(
    (doc) => {
      documentTitle(doc, '服务恢复通知', { subtitles: input.contractNumber ? [`合同编号：${input.contractNumber}`] : [] });
      addressee(doc, `${input.partyAName}：`);
      paragraph(doc, '乙方此前通知的智慧信息短信服务中断已处理完毕，服务已恢复正常。具体情况如下：', { firstLineIndent: 21, gap: 8 });
      keyValueTable(doc, [
        ['中断原因', causeLabel(input.cause)],
        ['中断开始时间', `${formatShanghai(input.startedAt)}（北京时间）`],
        ['乙方获知时间', `${formatShanghai(input.learnedAt)}（北京时间）`],
        ['服务恢复时间', `${formatShanghai(input.restoredAt)}（北京时间）`],
        ['中断时长', formatDuration(duration)],
      ]);
      heading(doc, '情况说明');
      paragraph(doc, input.description);
      paragraph(
        doc,
        '中断期间提交但未发出的短信，乙方将在发送时段内依次发送；如贵单位发现发送异常，请及时与乙方客户经理联系。由此给贵单位带来的不便，敬请谅解。',
        { firstLineIndent: 21 },
      );
      signOff(doc, sender, formatShanghaiDateCn(input.issuedAt));
    },
    meta(input, '服务恢复通知'),
  );
}
