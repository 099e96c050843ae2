/**
 * The rules staff e-mail and SMS share (domain/staff-notices.ts): contact
 * details, the text of a message, the retry ladder. Fixed instants.
 */
import { describe, expect, it } from 'vitest';
import { dueInWords, maskStaffContact, normaliseStaffEmail, staffEmail, staffRetryDelayMs, staffSms, ZStaffContactRequest } from '../../domain/staff-notices';
import { ConfigError, loadConfig } from '../../platform/config';
import { fromDomain } from '../../platform/mail';

describe('staff contact details', () => {
  it('normalise an e-mail address (domain in lower case) and refuse what is not one', () => {
    expect(normaliseStaffEmail('  Li.Fawu@Contracts.Example ')).toBe('Li.Fawu@contracts.example');
    for (const bad of ['', 'li', 'li@', '@example.com', 'li@example', 'li wu@example.com', 'a@b@c.com', `${'x'.repeat(65)}@example.com`]) expect(normaliseStaffEmail(bad)).toBeNull();
  });

  it('take a mainland mobile in any written shape, stored as E.164; null clears, absent keeps', () => {
    expect(ZStaffContactRequest.parse({ phone: '１３８ ００００ ０００１' })).toEqual({ phone: '+8613800000001' });
    expect(ZStaffContactRequest.parse({ email: null, phone: '+86 138-0000-0002' })).toEqual({ email: null, phone: '+8613800000002' });
    expect(ZStaffContactRequest.safeParse({ phone: '0471-1234567' }).success).toBe(false);
    expect(ZStaffContactRequest.safeParse({ phone: '+1 202 555 0100' }).success).toBe(false);
    expect(ZStaffContactRequest.safeParse({ email: 'not an address' }).success).toBe(false);
    expect(ZStaffContactRequest.safeParse({}).success).toBe(false);
    expect(ZStaffContactRequest.safeParse({ email: 'a@example.com', extra: 1 }).success).toBe(false);
  });

  it('are masked for the audit log', () => {
    expect(maskStaffContact({ email: 'li.fawu@contracts.example', phone: '+8613800000001' })).toEqual({ email: 'l***@contracts.example', phone: '+86138****0001' });
    expect(maskStaffContact({ email: null, phone: null })).toEqual({ email: null, phone: null });
  });
});

describe('the message', () => {
  it('words a deadline in Beijing time, the end of a day as its 24:00', () => {
    expect(dueInWords('2024-06-13T16:00:00.000Z')).toBe('2024年6月13日 24:00（北京时间）');
    expect(dueInWords('2024-06-13T02:30:00.000Z')).toBe('2024年6月13日 10:30（北京时间）');
  });

  it('e-mails a work item under 【待办】 with its deadline, and the digest as it is', () => {
    const item = staffEmail({ workItem: true, subject: '停机通知逾期未发', body: '请立即向受影响客户发送停机通知。', dueAt: '2026-12-08T16:00:00.000Z' });
    expect(item.subject).toBe('【待办】停机通知逾期未发');
    expect(item.text).toBe('停机通知逾期未发\n\n请立即向受影响客户发送停机通知。\n\n办理期限：2026年12月8日 24:00（北京时间）\n请登录合同管理系统，在“待办”中查看和处理。\n\n此邮件由系统自动发送，请勿直接回复。\n');
    const digest = staffEmail({ workItem: false, subject: '续约与期限日报 2026-12-08', body: '未来 60 天：付款期限 1 项。', dueAt: null });
    expect(digest.subject).toBe('续约与期限日报 2026-12-08');
    expect(digest.text).not.toContain('办理期限');
  });

  it('texts a work item as 待办 with its deadline', () => {
    expect(staffSms({ workItem: true, subject: '违约案件已升级', body: '请法务决定是否起诉。', dueAt: '2026-12-08T16:00:00.000Z' })).toEqual({ subject: '待办：违约案件已升级', body: '请法务决定是否起诉。（期限2026年12月8日 24:00）' });
  });

  it('takes the Message-ID domain from the From header', () => {
    expect(fromDomain('合同管理系统 <no-reply@Contracts.Example>')).toBe('contracts.example');
    expect(fromDomain('no-reply@example.com')).toBe('example.com');
    expect(fromDomain('nobody')).toBe('localhost');
  });
});

describe('the retry ladder', () => {
  it('waits 1, 2, 4 … minutes, at most an hour', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(staffRetryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000, 3_600_000]);
  });
});

describe('SMTP settings', () => {
  it('are optional (no e-mail), take smtp:// or smtps:// only, and a From header', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: '合同管理系统 <no-reply@localhost>' });
    expect(loadConfig({ SMTP_URL: 'smtps://mailer:s3cret@smtp.example.com:465', SMTP_FROM: 'SMS 合同 <contracts@example.com>' }).mail).toEqual({
      smtpUrl: 'smtps://mailer:s3cret@smtp.example.com:465',
      from: 'SMS 合同 <contracts@example.com>',
    });
    expect(loadConfig({ SMTP_URL: ' ' }).mail.smtpUrl).toBeUndefined();
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.com' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });
});
