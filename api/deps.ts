import type { Client } from '@temporalio/client';
import type { Db } from '../db/pool';
import type { SessionTimes } from '../db/sessions';
import type { WebhookDestinationPolicy } from '../domain/destinations';
import type { WriteRateLimits } from '../platform/config';
import type { PdfRenderer } from '../pdf/renderer';
import type { Logger } from '../platform/logger';
import type { AfterResponseStarts, WorkflowStartDeps } from '../services/workflow-starts';
import type { SmsSettings } from '../platform/sms-config';
import type { DnsLookup } from '../webhooks/destinations';
import type { OutagePaging } from '../workflows/outage-notice';

export type AppDeps = {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  bodyLimit: string;
  /** SMS settings (service code, caps, validity), read once where the process starts (loadSmsSettings: api/main.ts, the test harness) */
  smsSettings: SmsSettings;
  /** how long GET /api/contracts/:id waits for a live workflow query before serving the read model */
  queryTimeoutMs: number;
  /** the key (hex) every update the API sends is signed with (platform/actor-key.ts, domain/actor-assertion.ts) */
  actorAssertionKey: string;
  /** how long a token issued through the API works (TOKEN_TTL_DAYS); 90 days when unset */
  tokenTtlMs?: number;
  /** the Temporal server's clock, when it is not the wall clock (the time-skipping test server) */
  temporalClock?: () => Promise<number>;
  /** where webhooks may be registered to (WEBHOOK_ALLOWED_HOSTS, NODE_ENV: platform/config.ts) */
  webhookDestinations: WebhookDestinationPolicy;
  /** name resolution for the registration check (tests: a name resolving to a metadata address); unset: dns.lookup */
  dnsLookup?: DnsLookup;
  /** writes per minute per user and organisation (api/write-limits.ts; platform/config.ts) */
  rateLimits: WriteRateLimits;
  /** where statements filed as text are rendered to PDF: the API's render pool (api/main.ts); in this process when unset */
  pdf?: PdfRenderer;
  /** owed workflow starts made once the request has answered (api/main.ts); unset: a creating request waits for its start */
  afterResponseStarts?: AfterResponseStarts;
  /** responses carry their Postgres and Temporal timings (SERVER_TIMING=on: api/request-timing.ts) */
  serverTiming?: boolean;
  /** console sessions: how long they last (db/sessions.ts, 12 h unused, 7 days at most) and the clock they are checked against (tests: fixed instants) */
  sessions?: { times?: Partial<SessionTimes>; now?: () => Date };
  /** how an outage's workflow walks its cases (tests: small pages, so a thousand contracts continue as new); unset: the workflow's own */
  outagePaging?: OutagePaging;
};

/** What the services that start workflows need, from the app's dependencies. */
export const workflowStartDeps = (deps: AppDeps): WorkflowStartDeps => ({
  db: deps.db,
  temporal: deps.temporal,
  taskQueue: deps.taskQueue,
  logger: deps.logger,
  afterResponse: deps.afterResponseStarts,
});
