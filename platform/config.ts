/**
 * The one configuration module: every setting comes from the environment,
 * parsed with zod once at startup; a bad value stops the process with a clear
 * message naming the variable.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { isLinkLocalLiteral, type WebhookDestinationPolicy } from '../domain/destinations';

/** writes per minute (api/write-limits.ts) */
export type WriteRateLimits = {
  userWritesPerMinute: number;
  organisationWritesPerMinute: number;
  /** the heavy routes (SMS submission, contract imports) have a budget of their own besides */
  userHeavyPerMinute: number;
  organisationHeavyPerMinute: number;
};

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional()),
  /** The role the API and worker act as (SET ROLE) after connecting; empty to act as the connecting user. */
  DATABASE_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$|^$/, 'must be a plain role name').default('sms_app'),
  /** When unset, `npm start` runs an embedded Postgres on this port with its data in DATA_DIR. */
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TASK_QUEUE: z.string().min(1).default('contracts'),
  /** workflows kept in the worker's cache, ≈ 80 KiB of heap each (docs/performance.md (6)); past it they are evicted and replayed when next needed */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(2_000),
  /** the worker's document render processes (pdf/renderer.ts); 0 renders on the worker's own main thread */
  PDF_RENDER_PROCESSES: z.coerce.number().int().min(0).max(64).default(1),
  /** their CPU niceness: documents take the CPU that deadlines, queries and the API leave */
  PDF_RENDER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** the key the API signs workflow updates with and the worker checks them with: base64 of ≥ 32 random bytes (platform/actor-key.ts) */
  ACTOR_ASSERTION_KEY: optionalString.pipe(
    z
      .base64({ error: 'must be base64 (openssl rand -base64 32)' })
      .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes once decoded (openssl rand -base64 32)')
      .optional(),
  ),
  /** how many days a token issued through the API works */
  TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMPP_URL: optionalString,
  BILLING_URL: optionalString.pipe(z.url().optional()),
  /** Request bodies larger than this are refused with 413. */
  BODY_LIMIT: z.string().default('256kb'),
  /**
   * webhook receivers that may be internal (private or loopback addresses) and
   * plain http in production: host names or IP addresses, comma-separated
   * (webhooks/destinations.ts); link-local and metadata addresses never
   */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((h) => h.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9.:_-]{1,253}$/, 'each entry must be a host name or an IP address (no scheme, port or path)')
          .refine((host) => !isLinkLocalLiteral(host), 'link-local and metadata addresses (169.254.0.0/16, fe80::/10) cannot be allowed'),
      ),
    ),
  /** writes (POST, PUT, DELETE) per minute: per user, per customer organisation, and for the heavy routes (api/write-limits.ts) */
  RATE_LIMIT_USER_WRITES_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(120),
  RATE_LIMIT_ORG_WRITES_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_USER_HEAVY_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(10),
  RATE_LIMIT_ORG_HEAVY_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(30),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  http: { host: string; port: number; bodyLimit: string };
  databaseUrl: string | undefined;
  databaseRole: string | undefined;
  embeddedPostgresPort: number;
  temporal: { address: string | undefined; namespace: string; port: number; uiPort: number; taskQueue: string; maxCachedWorkflows: number };
  adminToken: string | undefined;
  /** hex; unset: platform/actor-key.ts decides */
  actorAssertionKey: string | undefined;
  tokenTtlMs: number;
  dataDir: string;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  smppUrl: string | undefined;
  billingUrl: string | undefined;
  pdfRender: { processes: number; nice: number };
  webhookDestinations: WebhookDestinationPolicy;
  rateLimits: WriteRateLimits;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, bodyLimit: e.BODY_LIMIT },
    databaseUrl: e.DATABASE_URL,
    databaseRole: e.DATABASE_ROLE || undefined,
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      taskQueue: e.TASK_QUEUE,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    },
    adminToken: e.ADMIN_TOKEN,
    actorAssertionKey: e.ACTOR_ASSERTION_KEY ? Buffer.from(e.ACTOR_ASSERTION_KEY, 'base64').toString('hex') : undefined,
    tokenTtlMs: e.TOKEN_TTL_DAYS * 86_400_000,
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    smppUrl: e.SMPP_URL,
    billingUrl: e.BILLING_URL,
    pdfRender: { processes: e.PDF_RENDER_PROCESSES, nice: e.PDF_RENDER_NICE },
    // development and tests may point a webhook at a receiver on this machine; production only at allowed hosts
    webhookDestinations: { allowInternal: e.NODE_ENV !== 'production', allowedHosts: e.WEBHOOK_ALLOWED_HOSTS },
    rateLimits: {
      userWritesPerMinute: e.RATE_LIMIT_USER_WRITES_PER_MIN,
      organisationWritesPerMinute: e.RATE_LIMIT_ORG_WRITES_PER_MIN,
      userHeavyPerMinute: e.RATE_LIMIT_USER_HEAVY_PER_MIN,
      organisationHeavyPerMinute: e.RATE_LIMIT_ORG_HEAVY_PER_MIN,
    },
  };
}
