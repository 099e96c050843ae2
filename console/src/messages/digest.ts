/** The renewal digest and the calendar export. */
const zh = {
  'digest.title': '续约摘要',
  'digest.calendar': '订阅期限日历（.ics）',
  'digest.calendarHint': '包含您可见的全部未到期限，可导入日历应用。',
  'digest.none': '尚未生成续约摘要：每天 09:00 生成，下一份于 {next}。',
  'digest.empty': '未来期限内没有需要关注的事项。',
  'digest.of': '{date} 续约摘要（未来 {days} 天）',
  'digest.generated': '生成于 {at}',
  'digest.renewalWindows': '续约异议期',
  'digest.termsEnding': '即将期满',
  'digest.payments': '付款期限',
  'digest.cures': '补救期限',
  'digest.invoiceOwed': '未付 {owed} 元（发票金额 {amount} 元）',
  'digest.calendarDownload': '下载日历文件',
} as const;

const en: Record<keyof typeof zh, string> = {
  'digest.title': 'Renewal digest',
  'digest.calendar': 'Deadline calendar (.ics)',
  'digest.calendarHint': 'Every open deadline you can see, for your calendar app.',
  'digest.none': 'No renewal digest yet: one is made daily at 09:00, the next at {next}.',
  'digest.empty': 'Nothing needs attention in the period ahead.',
  'digest.of': 'Renewal digest of {date} (next {days} days)',
  'digest.generated': 'generated {at}',
  'digest.renewalWindows': 'Renewal objection windows',
  'digest.termsEnding': 'Terms ending',
  'digest.payments': 'Payments due',
  'digest.cures': 'Cure periods',
  'digest.invoiceOwed': 'CNY {owed} outstanding of {amount}',
  'digest.calendarDownload': 'Download the calendar file',
};

export const digest = { zh, en };
