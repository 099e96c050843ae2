/**
 * Walking every API route in a test: a URL for its path (the given contract
 * for contract routes, a non-existent id elsewhere) and a role allowed to call it.
 */
import type { RouteDef } from '../../api/http';

export const urlOfRoute = (path: string, contractId: string) =>
  path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' && path.startsWith('/api/contracts') ? contractId : name === 'seq' ? '1' : `no-such-${name}`));

export const callerOfRoute = (route: RouteDef<any, any>) => (route.roles === 'public' ? null : route.roles.includes('admin') ? 'admin' : route.roles[0]!);
