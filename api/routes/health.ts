import type { AppDeps } from '../deps';
import { defineRoute } from '../http';

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

export function healthRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      roles: 'public',
      summary: 'Temporal and Postgres reachability',
      handler: async ({ res }) => {
        const [postgres, temporal] = await Promise.all([
          timed(() => deps.db.query('SELECT 1'), 2_000),
          timed(() => deps.temporal.workflowService.getSystemInfo({}), 2_000),
        ]);
        const ok = postgres.ok && temporal.ok;
        res.status(ok ? 200 : 503);
        if (!ok) res.set('Retry-After', '5');
        return { status: ok ? 'ok' : 'unavailable', postgres, temporal };
      },
    }),
  ];
}
