/**
 * The worker process: `tsx worker/main.ts`. SIGTERM/SIGINT drain it: no new
 * tasks, in-flight activities finish, exit code 0.
 *
 * It sends SMS to the SMSC SMPP_URL names. With NODE_ENV=production and no
 * SMPP_URL it does not start: one line on stderr naming SMPP_URL, exit code 1
 * (platform/start-failures.ts). It never runs an SMSC simulator itself:
 * `npm start` (scripts/start.ts) does, in development, and hands it SMPP_URL.
 */
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createHttpBilling, createLedgerBilling } from '../billing';
import { createDb } from '../db/pool';
import { loadActorAssertionKey } from '../platform/actor-key';
import { loadConfig } from '../platform/config';
import { appDatabaseLogin, sharedLoginWarning } from '../platform/database-login';
import { createLogger } from '../platform/logger';
import { encryptingDataConverter } from '../platform/payload-codec';
import { loadPayloadKeys } from '../platform/payload-key';
import { connectClient, temporalConnectionOptions } from '../platform/temporal';
import { ensureDigestSchedule, ensureStaffDeliverySchedule } from '../services/workflow-starts';
import { createMailer } from '../platform/mail';
import { loadSmsSettings } from '../platform/sms-config';
import { explainMissingSmppUrl, explainPlaintextTemporal } from '../platform/start-failures';
import { createRenderPool, IN_PROCESS_RENDERER } from '../pdf/renderer';
import { createWorker } from './index';
import { createWebhookDispatcher } from '../webhooks/dispatcher';

async function main(): Promise<void> {
  const config = loadConfig();
  const smsSettings = loadSmsSettings();
  const noSmsc = explainMissingSmppUrl({ env: config.env, smppUrlConfigured: smsSettings.smppUrlConfigured });
  if (noSmsc) throw new Error(noSmsc);
  // a Temporal cluster elsewhere only over mTLS in production (docs/security.md)
  const plaintext = explainPlaintextTemporal({ env: config.env, temporal: config.temporal });
  if (plaintext) throw new Error(plaintext);
  const logger = createLogger({ level: config.logLevel, name: 'worker' });
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set for the worker (npm start sets it)');
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } }, shutdownSignals: [] });
  // every payload encrypted before it reaches Temporal, decrypted after (platform/payload-codec.ts): the API's client uses the same
  const dataConverter = encryptingDataConverter(loadPayloadKeys(config));
  const connectionOptions = temporalConnectionOptions(config.temporal);
  const connection = await NativeConnection.connect(connectionOptions);
  // the application's own role: its own login with DATABASE_APP_PASSWORD, else DATABASE_URL's user and SET ROLE (platform/database-login.ts)
  const sharedLogin = sharedLoginWarning(config);
  if (sharedLogin) logger.warn(sharedLogin);
  const db = createDb({ ...appDatabaseLogin(config.databaseUrl, config), max: config.databasePoolSize, applicationName: 'sms-contracts-worker' });
  const billing = config.billingUrl ? createHttpBilling({ baseUrl: config.billingUrl }) : createLedgerBilling();
  // the client the activities start workflows with (and the digest schedule is made by)
  const temporal = await connectClient({ ...connectionOptions, namespace: config.temporal.namespace, dataConverter });
  // documents render in their own, lower-priority processes, never on the thread that runs workflow activations
  const pdf = config.pdfRender.processes > 0 ? createRenderPool({ ...config.pdfRender, logger }) : IN_PROCESS_RENDERER;
  // staff e-mail of work items and digests (SMTP_URL); without it the console alone shows them
  const mailer = config.mail.smtpUrl ? createMailer({ url: config.mail.smtpUrl, from: config.mail.from }) : undefined;
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { db, logger, temporal, billing, pdf, smsSettings, ...(mailer ? { mailer } : {}) },
    actorAssertionKey: loadActorAssertionKey(config),
    dataConverter,
    overrides: { maxCachedWorkflows: config.temporal.maxCachedWorkflows },
  });

  // outgoing webhooks: a durable loop over webhook_deliveries (see webhooks/dispatcher.ts)
  // destinations filtered after name resolution (webhooks/destinations.ts): production only reaches public https receivers and WEBHOOK_ALLOWED_HOSTS
  const webhooks = createWebhookDispatcher({ db, logger, destinations: config.webhookDestinations });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker draining');
    worker.shutdown();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  logger.info({ schedule: await ensureDigestSchedule(temporal, config.temporal.taskQueue) }, 'renewal digest schedule (daily 09:00 Asia/Shanghai)');
  logger.info({ schedule: await ensureStaffDeliverySchedule(temporal, config.temporal.taskQueue), email: mailer ? 'smtp' : 'off (SMTP_URL not set)' }, 'staff deliveries schedule (every minute)');
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await worker.run();
  await pdf.close();
  mailer?.close();
  await webhooks.stop();
  await connection.close();
  await temporal.connection.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
