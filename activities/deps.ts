import type { Client } from '@temporalio/client';
import type { BillingSystem } from '../billing';
import type { Db } from '../db/pool';
import type { PdfRenderer } from '../pdf/renderer';
import type { Logger } from '../platform/logger';
import type { Mailer } from '../platform/mail';
import type { SmsSettings } from '../platform/sms-config';
import type { SmsGateway } from '../sms/gateway';

export type ActivityDeps = {
  db: Db;
  /** defaults to the built-in ledger */
  billing?: BillingSystem;
  logger?: Logger;
  /** to start and cancel the workflows a contract spawns */
  temporal?: Client;
  /** SMS settings, read once where the process starts (loadSmsSettings: worker/main.ts, the test harness) */
  smsSettings: SmsSettings;
  /** the SMPP transport SMS goes out through; defaults to one made from smsSettings (SMPP_URL, activities/sms.ts) */
  sms?: SmsGateway;
  /** the worker's task queue (the SMS dispatch of notices is started on it); defaults to the running activity's */
  taskQueue?: string;
  /** lifecycle notices with a phone number also go out as SMS (activities/notifications.ts); defaults to smsSettings.systemNotices (SMS_SYSTEM_NOTICES, on) */
  systemSms?: boolean;
  /** SMTP for staff e-mail (platform/mail.ts, SMTP_URL); absent: work items and digests are not e-mailed (activities/staff-deliveries.ts) */
  mailer?: Mailer;
  /** where documents are rendered; defaults to this process (the worker passes its render pool: pdf/renderer.ts) */
  pdf?: PdfRenderer;
};
