/**
 * The one configuration module: every setting comes from the environment,
 * parsed with zod once at startup; a bad value stops the process with a clear
 * message naming the variable.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/** A client certificate and its key, a CA and the server name for the Temporal connections (platform/temporal.ts). */
export type TemporalTls = {
  /** TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: the client certificate (PEM) the cluster authenticates us by */
  clientCert?: { crt: Buffer; key: Buffer };
  /** TEMPORAL_TLS_CA: the CA (PEM) the server's certificate must chain to; unset, the system's roots */
  ca?: Buffer;
  /** TEMPORAL_TLS_SERVER_NAME: the name the server's certificate must carry, when it is not the address's host */
  serverName?: string;
};

/** One AES-256 key of the payload codec (platform/payload-codec.ts), by its id. */
export type PayloadKey = { id: string; key: Buffer };

export const PAYLOAD_KEY_BYTES = 32;
const PAYLOAD_KEY_FORMAT = `<key id>:<base64 of ${PAYLOAD_KEY_BYTES} random bytes>, e.g. k2025:$(openssl rand -base64 32)`;

/** "id:base64" as a key, or an issue on the field. */
function parsePayloadKey(text: string, ctx: z.RefinementCtx): PayloadKey | undefined {
  const match = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/]+={0,2})$/.exec(text.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `must be ${PAYLOAD_KEY_FORMAT}` });
    return undefined;
  }
  const key = Buffer.from(match[2]!, 'base64');
  if (key.length !== PAYLOAD_KEY_BYTES) {
    ctx.addIssue({ code: 'custom', message: `key "${match[1]}" is ${key.length} bytes once decoded; AES-256 needs exactly ${PAYLOAD_KEY_BYTES} (openssl rand -base64 32)` });
    return undefined;
  }
  return { id: match[1]!, key };
}

/** A PEM file named by a setting, read now: an unreadable or unparseable file is an issue on that setting. */
function pemFile(kind: 'certificate' | 'private key') {
  return optionalString.transform((path, ctx): Buffer | undefined => {
    if (path === undefined) return undefined;
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      ctx.addIssue({ code: 'custom', message: `cannot read ${path} (${e.code ?? e.message}): it must name a readable PEM ${kind} file` });
      return undefined;
    }
    if (!content.includes('-----BEGIN')) {
      ctx.addIssue({ code: 'custom', message: `${path} is not PEM (no -----BEGIN line): it must hold a PEM ${kind}` });
      return undefined;
    }
    try {
      if (kind === 'certificate') new X509Certificate(content);
      else createPrivateKey(content);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${path} does not hold a valid PEM ${kind} (${(error as Error).message})` });
      return undefined;
    }
    return content;
  });
}

/** host[:port] names this machine (a loopback address or localhost) */
export function isLoopbackAddress(address: string): boolean {
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.split(':').length > 2 ? address : address.replace(/:\d+$/, '');
  return host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
}

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional()),
  /** Postgres connections each process (API, worker) keeps at most: a contract's page reads nine things at once */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
  /** The role the API and worker act as (SET ROLE) after connecting; empty to act as the connecting user. */
  DATABASE_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$|^$/, 'must be a plain role name').default('sms_app'),
  /**
   * DATABASE_ROLE's own password: set, the API, the worker and audit:verify log in as that role on DATABASE_URL's
   * server (platform/database-login.ts) and migrations give the role this password; unset, they log in as
   * DATABASE_URL's user and SET ROLE
   */
  DATABASE_APP_PASSWORD: optionalString.pipe(z.string().min(16, 'must be at least 16 characters (openssl rand -base64 24)').optional()),
  /** When unset, `npm start` runs an embedded Postgres on this port with its data in DATA_DIR. */
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  /** mTLS to the Temporal frontend (platform/temporal.ts): paths to PEM files, read once here */
  TEMPORAL_TLS_CERT: pemFile('certificate'),
  TEMPORAL_TLS_KEY: pemFile('private key'),
  TEMPORAL_TLS_CA: pemFile('certificate'),
  TEMPORAL_TLS_SERVER_NAME: optionalString.pipe(z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name (the one in the server certificate)').optional()),
  /** `off`: plaintext, said out loud (a frontend reachable on a private network only, as in docker-compose.yml); unset: TLS when any TEMPORAL_TLS_* file is set */
  TEMPORAL_TLS: optionalString.pipe(z.enum(['off'], { error: 'must be off, or unset (TLS as the TEMPORAL_TLS_* files say)' }).optional()),
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
  /** the payload codec's key (platform/payload-codec.ts): id:base64 of 32 bytes; encrypts every payload, decrypts those under its id */
  PAYLOAD_KEY: optionalString.transform((value, ctx) => (value === undefined ? undefined : parsePayloadKey(value, ctx))),
  /** keys rotated out, comma-separated id:base64: they only decrypt what was encrypted under them */
  PAYLOAD_PREVIOUS_KEYS: z
    .string()
    .default('')
    .transform((value, ctx) => value.split(',').map((k) => k.trim()).filter(Boolean).map((k) => parsePayloadKey(k, ctx)).filter((k): k is PayloadKey => k !== undefined)),
  /** the codec endpoint for the Temporal web UI and CLI (api/codec.ts): its own listener, off unless CODEC_PORT is set */
  CODEC_PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(1).max(65535).optional()),
  CODEC_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** the web pages that may call it (the Temporal web UI's origin), comma-separated; unset: the UI on localhost:8080 (compose, through a tunnel) and on TEMPORAL_UI_PORT (npm start) */
  CODEC_ALLOWED_ORIGINS: optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const origins = value.split(',').map((o) => o.trim()).filter(Boolean);
    for (const origin of origins) {
      if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(origin)) {
        ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin (scheme://host[:port], no path or trailing slash)` });
      }
    }
    return origins;
  }),
  /** how many days a token issued through the API works */
  TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMPP_URL: optionalString,
  BILLING_URL: optionalString.pipe(z.url().optional()),
  /** where work items and the digest are e-mailed to staff (platform/mail.ts): smtp://user:pass@host:port or smtps://…; unset: no e-mail, the console shows them */
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
  /** the From header of those e-mails: an address, or Name <address> */
  SMTP_FROM: z.string().trim().min(3).max(256).default('合同管理系统 <no-reply@localhost>'),
  /** Request bodies larger than this are refused with 413. */
  BODY_LIMIT: z.string().default('256kb'),
  /** every response carries its Postgres and Temporal timings in a Server-Timing header (api/request-timing.ts) */
  SERVER_TIMING: z.enum(['on', 'off']).default('off'),
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
}).superRefine((e, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (e.TEMPORAL_TLS_CERT && !e.TEMPORAL_TLS_KEY) issue('TEMPORAL_TLS_KEY', 'must be set with TEMPORAL_TLS_CERT: a client certificate is used with its private key');
  if (e.TEMPORAL_TLS_KEY && !e.TEMPORAL_TLS_CERT) issue('TEMPORAL_TLS_CERT', 'must be set with TEMPORAL_TLS_KEY: a private key is used with its client certificate');
  if (e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY) {
    const cert = new X509Certificate(e.TEMPORAL_TLS_CERT);
    if (!cert.checkPrivateKey(createPrivateKey(e.TEMPORAL_TLS_KEY))) issue('TEMPORAL_TLS_KEY', "is not the private key of TEMPORAL_TLS_CERT's certificate");
    const now = Date.now();
    if (Date.parse(cert.validTo) < now) issue('TEMPORAL_TLS_CERT', `the certificate expired on ${new Date(cert.validTo).toISOString()}`);
    if (Date.parse(cert.validFrom) > now) issue('TEMPORAL_TLS_CERT', `the certificate is valid only from ${new Date(cert.validFrom).toISOString()}`);
  }
  if (e.TEMPORAL_TLS === 'off') {
    for (const name of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME'] as const) {
      if (e[name]) issue('TEMPORAL_TLS', `is off, but ${name} is set: unset one of them`);
    }
  }
  const ids = new Set(e.PAYLOAD_KEY ? [e.PAYLOAD_KEY.id] : []);
  for (const key of e.PAYLOAD_PREVIOUS_KEYS) {
    if (ids.has(key.id)) issue('PAYLOAD_PREVIOUS_KEYS', `key id "${key.id}" is used twice (with PAYLOAD_KEY or in this list): every key needs its own id`);
    ids.add(key.id);
  }
  if (e.DATABASE_APP_PASSWORD && !e.DATABASE_ROLE) issue('DATABASE_APP_PASSWORD', 'is the password of DATABASE_ROLE, which is empty: name the role (sms_app) or unset the password');
  if (e.PAYLOAD_PREVIOUS_KEYS.length > 0 && !e.PAYLOAD_KEY) issue('PAYLOAD_KEY', 'must be set when PAYLOAD_PREVIOUS_KEYS is: the current key encrypts, the previous ones only decrypt');
});

export type Config = {
  env: 'development' | 'test' | 'production';
  http: { host: string; port: number; bodyLimit: string; serverTiming: boolean };
  databaseUrl: string | undefined;
  databasePoolSize: number;
  databaseRole: string | undefined;
  /** DATABASE_APP_PASSWORD: the application role's own login (platform/database-login.ts); undefined: SET ROLE */
  databaseAppPassword: string | undefined;
  embeddedPostgresPort: number;
  temporal: {
    address: string | undefined;
    namespace: string;
    port: number;
    uiPort: number;
    taskQueue: string;
    maxCachedWorkflows: number;
    /** TLS for the worker's and the API's connections; undefined: plaintext */
    tls: TemporalTls | undefined;
    /** TEMPORAL_TLS=off: plaintext chosen explicitly (production allows it to a non-loopback address only then) */
    plaintextChosen: boolean;
  };
  /** PAYLOAD_KEY and PAYLOAD_PREVIOUS_KEYS; unset current: platform/payload-key.ts decides */
  payloadKeys: { current: PayloadKey | undefined; previous: PayloadKey[] };
  /** the codec endpoint's listener (api/codec.ts); port undefined: none */
  codec: { port: number | undefined; host: string; allowedOrigins: string[] };
  adminToken: string | undefined;
  /** hex; unset: platform/actor-key.ts decides */
  actorAssertionKey: string | undefined;
  tokenTtlMs: number;
  dataDir: string;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  smppUrl: string | undefined;
  billingUrl: string | undefined;
  /** SMTP_URL (undefined: nothing is e-mailed) and SMTP_FROM */
  mail: { smtpUrl: string | undefined; from: string };
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
    http: { host: e.HOST, port: e.PORT, bodyLimit: e.BODY_LIMIT, serverTiming: e.SERVER_TIMING === 'on' },
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseRole: e.DATABASE_ROLE || undefined,
    databaseAppPassword: e.DATABASE_APP_PASSWORD,
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      taskQueue: e.TASK_QUEUE,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      tls:
        e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_SERVER_NAME
          ? {
              ...(e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY ? { clientCert: { crt: e.TEMPORAL_TLS_CERT, key: e.TEMPORAL_TLS_KEY } } : {}),
              ...(e.TEMPORAL_TLS_CA ? { ca: e.TEMPORAL_TLS_CA } : {}),
              ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverName: e.TEMPORAL_TLS_SERVER_NAME } : {}),
            }
          : undefined,
      plaintextChosen: e.TEMPORAL_TLS === 'off',
    },
    payloadKeys: { current: e.PAYLOAD_KEY, previous: e.PAYLOAD_PREVIOUS_KEYS },
    codec: {
      port: e.CODEC_PORT,
      host: e.CODEC_HOST,
      allowedOrigins: e.CODEC_ALLOWED_ORIGINS ?? [...new Set([8080, e.TEMPORAL_UI_PORT])].flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]),
    },
    adminToken: e.ADMIN_TOKEN,
    actorAssertionKey: e.ACTOR_ASSERTION_KEY ? Buffer.from(e.ACTOR_ASSERTION_KEY, 'base64').toString('hex') : undefined,
    tokenTtlMs: e.TOKEN_TTL_DAYS * 86_400_000,
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    smppUrl: e.SMPP_URL,
    billingUrl: e.BILLING_URL,
    mail: { smtpUrl: e.SMTP_URL, from: e.SMTP_FROM },
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
