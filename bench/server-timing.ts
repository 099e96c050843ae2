/**
 * The API's Server-Timing headers (SERVER_TIMING=on, api/request-timing.ts)
 * summed per route: where a route's requests spent their time, on average
 * and at the slowest 1% (pool waits, statements, Temporal round trips, the
 * rest being the API's own work and its wait for a core).
 */
type Sample = { app: number; dbWait: number; db: number; temporal: number; statements: number; calls: number };

const byRoute = new Map<string, Sample[]>();

const entry = (header: string, name: string) => {
  const match = new RegExp(`(?:^|,\\s*)${name};dur=([\\d.]+)(?:;desc="(\\d+)")?`).exec(header);
  return { dur: match ? Number(match[1]) : 0, count: match?.[2] ? Number(match[2]) : 0 };
};

/** Notes the timings of one response of `route`. */
export function collectServerTiming(route: string, res: Response): void {
  const header = res.headers.get('server-timing');
  if (!header) return;
  const db = entry(header, 'db');
  const temporal = entry(header, 'temporal');
  const samples = byRoute.get(route) ?? [];
  samples.push({ app: entry(header, 'app').dur, dbWait: entry(header, 'db-wait').dur, db: db.dur, temporal: temporal.dur, statements: db.count, calls: temporal.count });
  byRoute.set(route, samples);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** One line: the mean request, then the mean of the slowest 1% of requests (by the API's own time). */
export function serverTimingNote(route: string): string {
  const samples = byRoute.get(route);
  if (!samples?.length) return 'no Server-Timing';
  const describe = (s: Sample[]) =>
    `${mean(s.map((x) => x.app)).toFixed(1)} ms in the API: pool wait ${mean(s.map((x) => x.dbWait)).toFixed(1)}, ${mean(s.map((x) => x.statements)).toFixed(1)} statements ${mean(s.map((x) => x.db)).toFixed(1)}, ${mean(s.map((x) => x.calls)).toFixed(1)} Temporal calls ${mean(s.map((x) => x.temporal)).toFixed(1)}`;
  const slowest = [...samples].sort((a, b) => b.app - a.app).slice(0, Math.max(1, Math.ceil(samples.length / 100)));
  return `Server-Timing over ${samples.length} requests: mean ${describe(samples)}; slowest 1%: ${describe(slowest)} (statements and calls run at once add up past the request's time)`;
}

export function serverTimingRaw(): Record<string, Sample[]> {
  return Object.fromEntries(byRoute);
}

/** Forgets what was collected (a section that measures its own requests only). */
export function resetServerTimings(): void {
  byRoute.clear();
}
