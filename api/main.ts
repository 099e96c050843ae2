/**
 * The API process: `tsx api/main.ts`. Listens on PORT, sweeps owed workflow
 * starts, and on SIGTERM stops accepting connections, lets in-flight requests
 * finish, then exits 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { purgeExpiredIdempotencyKeys } from '../db/idempotency';
import { createDb } from '../db/pool';
import { findUserByToken, registerToken, revokeDemoPasswords, revokeDemoTokens, upsertUser } from '../db/users';
import { loadActorAssertionKey } from '../platform/actor-key';
import { loadConfig } from '../platform/config';
import { appDatabaseLogin, sharedLoginWarning } from '../platform/database-login';
import { createLogger } from '../platform/logger';
import { loadSmsSettings } from '../platform/sms-config';
import { encryptingDataConverter } from '../platform/payload-codec';
import { loadPayloadKeys } from '../platform/payload-key';
import { explainPlaintextTemporal } from '../platform/start-failures';
import { connectClient, temporalConnectionOptions } from '../platform/temporal';
import { AfterResponseStarts, sweepOwedStarts } from '../services/workflow-starts';
import { createRenderPool, IN_PROCESS_RENDERER } from '../pdf/renderer';
import { createApp } from './app';
import { createCodecApp } from './codec';
import { recordTiming } from './request-timing';

const SWEEP_EVERY_MS = 5_000;
const PURGE_EVERY_MS = 10 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const smsSettings = loadSmsSettings();
  const logger = createLogger({ level: config.logLevel, name: 'api' });
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set for the API (npm start sets it)');
  // a Temporal cluster elsewhere only over mTLS in production (docs/security.md)
  const plaintext = explainPlaintextTemporal({ env: config.env, temporal: config.temporal });
  if (plaintext) throw new Error(plaintext);
  // every payload encrypted before it reaches Temporal, decrypted after (platform/payload-codec.ts): the worker uses the same
  const dataConverter = encryptingDataConverter(loadPayloadKeys(config));
  // the application's own role: its own login with DATABASE_APP_PASSWORD, else DATABASE_URL's user and SET ROLE (platform/database-login.ts)
  const sharedLogin = sharedLoginWarning(config);
  if (sharedLogin) logger.warn(sharedLogin);
  const db = createDb({ ...appDatabaseLogin(config.databaseUrl, config), max: config.databasePoolSize, applicationName: 'sms-contracts-api', onTiming: recordTiming });
  const temporal = await connectClient({ ...temporalConnectionOptions(config.temporal), namespace: config.temporal.namespace, dataConverter });

  if (config.adminToken) {
    await upsertUser(db, { id: 'admin', name: 'Administrator', role: 'admin', organisation: null });
    // a new ADMIN_TOKEN revokes the one before; one revoked by an admin stays revoked
    await registerToken(db, 'admin', config.adminToken, 'ADMIN_TOKEN');
    if (!(await findUserByToken(db, config.adminToken))) logger.warn('ADMIN_TOKEN is revoked: set a new one to sign in as the administrator');
  }
  if (config.env === 'production') {
    const revoked = await revokeDemoTokens(db);
    if (revoked > 0) logger.warn({ revoked }, 'revoked the development demo tokens this database held');
    const passwords = await revokeDemoPasswords(db);
    if (passwords > 0) logger.warn({ passwords }, 'removed the development demo passwords this database held');
  }

  const pdf = config.pdfRender.processes > 0 ? createRenderPool({ ...config.pdfRender, logger }) : IN_PROCESS_RENDERER;
  const deps = {
    db,
    temporal,
    taskQueue: config.temporal.taskQueue,
    logger,
    bodyLimit: config.http.bodyLimit,
    smsSettings,
    queryTimeoutMs: 2_000,
    actorAssertionKey: loadActorAssertionKey(config),
    tokenTtlMs: config.tokenTtlMs,
    webhookDestinations: config.webhookDestinations,
    rateLimits: config.rateLimits,
    // statements filed as text render in their own, lower-priority processes, never on the event loop requests share
    pdf,
    // a creation answers once its rows and its owed start are committed; the start follows (the sweeper backs it up)
    afterResponseStarts: new AfterResponseStarts(),
    serverTiming: config.http.serverTiming,
  };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  server.keepAliveTimeout = 5_000;
  // the port bound (PORT=0 takes a free one)
  logger.info({ port: (server.address() as AddressInfo).port }, 'api listening');

  // the codec endpoint for the Temporal web UI and CLI, on a listener of its own (loopback by default): api/codec.ts
  let codecServer: Server | undefined;
  const codecPort = config.codec.port;
  if (codecPort !== undefined) {
    const wildcard = ['0.0.0.0', '::', '[::]'].includes(config.codec.host);
    const codecApp = createCodecApp({ dataConverter, allowedOrigins: config.codec.allowedOrigins, allowedHosts: wildcard ? [] : [config.codec.host], logger });
    codecServer = await new Promise<Server>((resolve, reject) => {
      const s = codecApp.listen(codecPort, config.codec.host, () => resolve(s));
      s.once('error', reject);
    });
    logger.info({ host: config.codec.host, port: codecPort, allowedOrigins: config.codec.allowedOrigins }, 'codec endpoint listening (POST /codec/decode, /codec/encode)');
  }

  let lastPurge = 0;
  const sweep = async () => {
    const started = await sweepOwedStarts(deps).catch((error) => {
      logger.warn({ err: (error as Error).message }, 'owed workflow sweep failed');
      return 0;
    });
    if (started > 0) logger.info({ started }, 'started owed workflows');
    // idempotency keys past their day (db/idempotency.ts), every ten minutes
    if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = Date.now();
      const purged = await purgeExpiredIdempotencyKeys(db).catch((error) => (logger.warn({ err: (error as Error).message }, 'idempotency key purge failed'), 0));
      if (purged > 0) logger.info({ purged }, 'purged expired idempotency keys');
    }
  };
  await sweep();
  const sweeper = setInterval(sweep, SWEEP_EVERY_MS);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping: finishing in-flight requests');
    clearInterval(sweeper);
    codecServer?.close();
    server.close(async () => {
      // starts queued by the last requests are made before the connection closes (a kill leaves them to the sweeper)
      await deps.afterResponseStarts.drain();
      await pdf.close();
      await temporal.connection.close().catch(() => undefined);
      await db.close().catch(() => undefined);
      logger.info('api stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      logger.warn('in-flight requests did not finish within 20 s; closing them');
      server.closeAllConnections();
    }, 20_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
