/**
 * The express application, separate from listen() so tests drive it directly.
 */
import { withActorAssertions, withWorkflowInterceptors } from '../platform/temporal';
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { authenticate, requireRole } from './auth';
import { consoleMiddleware } from './console';
import { contractGate, gatedContract } from './contract-access';
import type { AppDeps } from './deps';
import { AppError, errorMiddleware } from './errors';
import { requestTimings, temporalTimings } from './request-timing';
import { parseWith, requireJsonBody, type RouteDef } from './http';
import { idempotency } from './idempotency';
import { securityHeaders } from './security-headers';
import { writeLimits } from './write-limits';
import { calendarRoutes } from './routes/calendar';
import { calendarFeedRoutes, redactCalendarFeedUrl } from './routes/calendar-feed';
import { contractImportRoutes, IMPORT_BODY_LIMIT } from './routes/contract-imports';
import { caseRoutes } from './routes/cases';
import { contractRoutes } from './routes/contracts';
import { healthRoutes } from './routes/health';
import { inboxRoutes } from './routes/inbox';
import { invoiceRoutes } from './routes/invoices';
import { digestRoutes } from './routes/digests';
import { lifecycleRoutes } from './routes/lifecycle';
import { smsRoutes } from './routes/sms';
import { smsTemplateRoutes } from './routes/sms-templates';
import { staffContactRoutes } from './routes/staff-contacts';
import { sessionRoutes } from './routes/sessions';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';

export type { AppDeps } from './deps';

/** Every route of the API: the permission matrix is read from here. */
export function allRoutes(deps: AppDeps): RouteDef<any, any>[] {
  return [...healthRoutes(deps), ...sessionRoutes(deps), ...userRoutes(deps), ...contractRoutes(deps), ...invoiceRoutes(deps), ...lifecycleRoutes(deps), ...digestRoutes(deps), ...webhookRoutes(deps), ...caseRoutes(deps), ...smsRoutes(deps), ...smsTemplateRoutes(deps), ...calendarRoutes(deps), ...calendarFeedRoutes(deps), ...contractImportRoutes(deps), ...inboxRoutes(deps), ...staffContactRoutes(deps)];
}

export function createApp(given: AppDeps): Express {
  // every update sent through this app carries its signed actor assertion; its round trips are timed where asked
  const temporal = given.serverTiming ? withWorkflowInterceptors(given.temporal, [temporalTimings()]) : given.temporal;
  const deps: AppDeps = { ...given, temporal: withActorAssertions(temporal, given.actorAssertionKey, given.temporalClock) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  if (deps.serverTiming) app.use(requestTimings());
  app.use(securityHeaders());

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    res.locals.requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.set('X-Request-Id', res.locals.requestId);
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => (res as Response).locals.requestId,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
      // a calendar subscription URL carries its secret in the path: never logged
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: redactCalendarFeedUrl(String(req.url)) }), res: (res) => ({ statusCode: res.statusCode }) },
    }),
  );
  // an import carries up to IMPORT_MAX_ROWS whole contracts (about 3 KB each): its own, larger limit
  app.use('/api/contract-imports', express.json({ limit: IMPORT_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(express.json({ limit: deps.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] }));

  const auth = authenticate(deps.db, { sessionIdleMs: deps.sessions?.times?.idleMs, now: deps.sessions?.now });
  const idem = idempotency(deps.db);
  // per-user and per-organisation write budgets, after the idempotency layer (a replay is not counted twice)
  const writeBudget = writeLimits(deps.db, deps.rateLimits);
  for (const route of allRoutes(deps)) {
    const chain = [
      ...(route.roles === 'public' ? [] : [auth, (_req: Request, res: Response, next: NextFunction) => (requireRole(res.locals.user, route.roles as never), next())]),
      // the contract the route acts on, checked against the policy before anything of the request is read
      ...(route.contract ? [contractGate(deps, route.contract)] : []),
      ...(route.body ? [requireJsonBody] : []),
      ...(route.roles === 'public' ? [] : [(_req: Request, res: Response, next: NextFunction) => ((res.locals.secretFields = route.secrets), next()), idem]),
      ...(route.roles !== 'public' && route.method !== 'get' ? [writeBudget(route.heavy === true)] : []),
      async (req: Request, res: Response) => {
        const result = await route.handler({
          req,
          res,
          user: res.locals.user,
          body: parseWith(route.body, req.body, 'body'),
          query: parseWith(route.query, req.query, 'query'),
          params: req.params as Record<string, string>,
          get contract() {
            return gatedContract(res, route.path);
          },
          requestId: res.locals.requestId,
          idempotencyKey: res.locals.idempotencyKey ?? null,
        });
        if (result !== undefined && !res.headersSent) res.json(result);
      },
    ];
    app[route.method](route.path, ...chain);
  }

  app.use('/api', (req: Request) => {
    throw new AppError('NOT_FOUND', `no route ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  app.use(consoleMiddleware());
  app.use(errorMiddleware(deps.logger));
  return app;
}
