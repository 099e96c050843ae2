/**
 * (5) SMS content rules: messages per second through `lintMessage` (signature,
 * symbols, the forbidden-keyword list, invitations, unsubscribe) plus
 * `countSegments`, on one core, over a mix of realistic messages; against
 * `countSegments` alone on the same messages (the least a sender must do).
 */
import { countSegments, lintMessage, type LintMessageInput } from '../domain/sms';
import { say } from './env';
import { row, type Row } from './report';

const SIG = '【内蒙古自治区地震局】';

/** A mix: verification codes and alerts (mostly short), marketing with unsubscribe, rule violations, long multi-part text. */
export const MESSAGES: LintMessageInput[] = [
  { content: `${SIG}您的验证码为 482913，5 分钟内有效，请勿泄露。`, category: 'notification', signature: SIG },
  { content: `${SIG}地震速报：2026年5月14日10时02分，阿拉善左旗发生3.1级地震，震源深度10千米，请注意防范。`, category: 'alert', signature: SIG },
  { content: `${SIG}尊敬的会员，防震减灾科普馆周六免费开放，欢迎预约参观。回TD退订`, category: 'marketing', signature: SIG },
  { content: `${SIG}本周五下午三点在三楼会议室召开应急演练部署会，请各部门负责人准时参加。`, category: 'notification', signature: SIG },
  { content: `${SIG}最新股票内幕，加微信领取，稳赚不赔！`, category: 'marketing', signature: SIG },
  { content: `${SIG}科普馆免费开放，欢迎参观^_^`, category: 'marketing', signature: SIG, appendUnsubscribe: true },
  {
    content: `${SIG}${'根据自治区防震减灾工作安排，请各单位于本月底前完成应急预案修订、物资储备清点和值班人员名单报送，并组织一次疏散演练，演练结束后三日内提交总结报告。'.repeat(3)}`,
    category: 'notification',
    signature: SIG,
  },
  { content: `${SIG}Exercise notice: evacuation drill at 15:00 today, building B. Reply T to opt out.`, category: 'notification', signature: SIG },
];

function rate(fn: (m: LintMessageInput) => unknown, durationMs: number): number {
  let n = 0;
  const until = performance.now() + durationMs;
  const t = performance.now();
  while (performance.now() < until) {
    for (const m of MESSAGES) fn(m);
    n += MESSAGES.length;
  }
  return n / ((performance.now() - t) / 1000);
}

export function benchSmsLint(options: { durationMs: number }): { rows: Row[]; raw: Record<string, unknown> } {
  say('(5) SMS lint + segment');
  const lintAndSegment = (m: LintMessageInput) => {
    const result = lintMessage(m);
    return countSegments(result.content);
  };
  // warm-up (JIT, the keyword list's compiled form)
  rate(lintAndSegment, 300);
  rate((m) => countSegments(m.content), 300);
  const lint = rate(lintAndSegment, options.durationMs);
  const segmentOnly = rate((m) => countSegments(m.content), options.durationMs);
  say(`    ${lint.toFixed(0)} msgs/s linted and segmented; ${segmentOnly.toFixed(0)} msgs/s segmented only`);
  return {
    rows: [
      row({
        id: '5a',
        measure: 'SMS lintMessage + countSegments, msgs/s (one core)',
        value: lint,
        unit: '/s',
        baseline: { measure: 'countSegments alone, same messages', value: segmentOnly, unit: '/s' },
        target: null,
        note: `${MESSAGES.length} message shapes (codes, alerts, marketing with and without unsubscribe, forbidden keywords, an emoticon, a 3-part message, GSM-7 English), ${options.durationMs / 1000} s each`,
      }),
    ],
    raw: { lintPerSecond: lint, segmentOnlyPerSecond: segmentOnly, messages: MESSAGES.length },
  };
}
