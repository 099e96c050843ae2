/**
 * SMS sending settings, parsed with zod from the environment like
 * platform/config.ts (which owns SMPP_URL); a bad value stops the process with a message naming the
 * variable. Each process reads them once at its entry (worker/main.ts,
 * api/main.ts, scripts/start.ts) and hands them on in its dependencies
 * (ActivityDeps.smsSettings, AppDeps.smsSettings); nothing else reads them.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `SMPP_URL` | the SMSC (smpp://system_id:password@host:port) | **required in production** (the worker refuses to start without it); in development the simulator `npm start` runs: smpp://test:secret@127.0.0.1:2775 |
 * | `SMS_SERVICE_CODE` | the access number contracts send from; each contract gets an extension | 106575 |
 * | `SMS_VALIDITY_HOURS` | a part without a delivery receipt this long after sending is `expired` | 72 |
 * | `SMS_CAP_SAME_CONTENT_SECONDS` | the same content to the same number at most once in this many seconds | 30 |
 * | `SMS_CAP_PER_HOUR` | messages to one number per customer per rolling hour (alerts excepted) | 5 |
 * | `SMS_ALERT_DEDUP_SECONDS` | an identical alert to the same number within this window is a duplicate | 600 |
 * | `SMPP_WINDOW` | submit_sm awaiting their response at most | 10 |
 * | `SMS_AMBIGUOUS_GRACE_SECONDS` | how long an ambiguous part waits for a receipt before the policy applies | 60 |
 * | `SMS_AMBIGUOUS_POLICY` | `resubmit` (at least once) or `hold` (at most once: stays `unknown`) | resubmit |
 * | `SMS_SYSTEM_NOTICES` | lifecycle notices to the parties' contact persons also go out as SMS (Party B's own, 【中国联通】) | on |
 */
import { z } from 'zod';
import { ConfigError } from './config';

/** development only: the SMSC simulator `npm start` runs (tools/smsc/child.ts); production requires SMPP_URL */
export const DEFAULT_SMPP_URL = 'smpp://test:secret@127.0.0.1:2775';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(0).max(max).default(fallback);

const ZSmsEnv = z.object({
  SMPP_URL: optionalString.pipe(z.string().regex(/^smpp:\/\//, 'must be an smpp:// URL').optional()),
  SMS_SERVICE_CODE: z.string().regex(/^\d{4,12}$/, 'must be 4 to 12 digits').default('106575'),
  SMS_VALIDITY_HOURS: z.coerce.number().min(1 / 60).max(24 * 30).default(72),
  SMS_CAP_SAME_CONTENT_SECONDS: seconds(30, 86_400),
  SMS_CAP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(5),
  SMS_ALERT_DEDUP_SECONDS: seconds(600, 86_400),
  SMPP_WINDOW: z.coerce.number().int().min(1).max(1_000).default(10),
  SMS_AMBIGUOUS_GRACE_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  SMS_AMBIGUOUS_POLICY: z.enum(['resubmit', 'hold']).default('resubmit'),
  SMS_SYSTEM_NOTICES: z.enum(['on', 'off']).default('on'),
});

export type FrequencyCaps = {
  /** the same content to the same number at most once within this many ms */
  sameContentMs: number;
  /** at most this many messages to one number per rolling hour (alerts are not capped) */
  perHour: number;
  /** an identical alert to the same number within this many ms is collapsed as a duplicate */
  alertDedupMs: number;
};

export type SmsSettings = {
  /** SMPP_URL, else DEFAULT_SMPP_URL (development only: a production worker refuses to start without SMPP_URL) */
  smppUrl: string;
  /** true when SMPP_URL was given (the worker binds at start to receive MO replies) */
  smppUrlConfigured: boolean;
  serviceCode: string;
  validityMs: number;
  caps: FrequencyCaps;
  windowSize: number;
  ambiguousGraceMs: number;
  ambiguousPolicy: 'resubmit' | 'hold';
  /** lifecycle notices with a phone number also go out as SMS */
  systemNotices: boolean;
};

export function loadSmsSettings(env: NodeJS.ProcessEnv = process.env): SmsSettings {
  const parsed = ZSmsEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid SMS configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    smppUrl: e.SMPP_URL ?? DEFAULT_SMPP_URL,
    smppUrlConfigured: e.SMPP_URL !== undefined,
    serviceCode: e.SMS_SERVICE_CODE,
    validityMs: Math.round(e.SMS_VALIDITY_HOURS * 3_600_000),
    caps: { sameContentMs: e.SMS_CAP_SAME_CONTENT_SECONDS * 1000, perHour: e.SMS_CAP_PER_HOUR, alertDedupMs: e.SMS_ALERT_DEDUP_SECONDS * 1000 },
    windowSize: e.SMPP_WINDOW,
    ambiguousGraceMs: Math.round(e.SMS_AMBIGUOUS_GRACE_SECONDS * 1000),
    ambiguousPolicy: e.SMS_AMBIGUOUS_POLICY,
    systemNotices: e.SMS_SYSTEM_NOTICES === 'on',
  };
}
