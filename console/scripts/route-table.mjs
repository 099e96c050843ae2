/**
 * Prints the API's route table (method, path, roles) as JSON, read from
 * `allRoutes` in api/app.ts: the console shows a page or an action only when
 * its endpoint exists and the signed-in role may call it. Run at build time
 * by console/vite.config.mts under tsx (`node --import tsx`); handlers are
 * never called, so no dependencies are needed.
 */
import { allRoutes } from '../../api/app.ts';

const routes = allRoutes({}).map((r) => ({ method: r.method, path: r.path, roles: r.roles, summary: r.summary }));
process.stdout.write(JSON.stringify(routes));
