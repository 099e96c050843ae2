/**
 * Where a request's time goes: the waits for a pooled Postgres connection,
 * the statements, and the round trips to Temporal, summed per request (so
 * statements run at once add up past the request's own time) and counted.
 * With SERVER_TIMING=on every response carries them in a `Server-Timing`
 * header (W3C Server Timing: `db-wait`, `db`, `temporal`, `app` = the
 * request's whole time), which `npm run bench` reads to show what a route
 * waits for. Off by default: the figures describe the server's insides.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export type TimedPhase = 'db-wait' | 'db' | 'temporal';
type Timings = Record<TimedPhase, { ms: number; count: number }>;

const current = new AsyncLocalStorage<Timings>();

/** Adds `ms` to the phase of the request this runs for (nothing outside a timed request). */
export function recordTiming(phase: TimedPhase, ms: number): void {
  const timings = current.getStore();
  if (!timings) return;
  timings[phase].ms += ms;
  timings[phase].count += 1;
}

/** The request's timings as a Server-Timing header value. */
export function serverTimingHeader(timings: Timings, totalMs: number): string {
  const phases = (Object.keys(timings) as TimedPhase[]).map((phase) => `${phase};dur=${timings[phase].ms.toFixed(1)};desc="${timings[phase].count}"`);
  return [...phases, `app;dur=${totalMs.toFixed(1)}`].join(', ');
}

/** Times every request; the header is written with the response's head. */
export function requestTimings(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const timings: Timings = { 'db-wait': { ms: 0, count: 0 }, db: { ms: 0, count: 0 }, temporal: { ms: 0, count: 0 } };
    const started = performance.now();
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      if (!res.headersSent) res.setHeader('Server-Timing', serverTimingHeader(timings, performance.now() - started));
      return writeHead(...args);
    }) as Response['writeHead'];
    current.run(timings, next);
  };
}

/** Times the client's calls to Temporal made for a request (starts, updates, queries, signals). */
export function temporalTimings(): WorkflowClientInterceptor {
  const around = async <O>(run: () => Promise<O>): Promise<O> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      recordTiming('temporal', performance.now() - t);
    }
  };
  return {
    start: (input, next) => around(() => next(input)),
    startUpdate: (input, next) => around(() => next(input)),
    query: (input, next) => around(() => next(input)),
    signal: (input, next) => around(() => next(input)),
    describe: (input, next) => around(() => next(input)),
  };
}
