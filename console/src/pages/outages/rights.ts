import { can, type Role } from '../../api';

/** What the role may do on the outages screen, from the API's route table. */
export const outageRights = (role: Role) => ({
  declare: can(role, 'post', '/api/outages'),
  hold: can(role, 'post', '/api/outages/:id/hold'),
  release: can(role, 'post', '/api/outages/:id/release'),
  resolve: can(role, 'post', '/api/outages/:id/resolution'),
});
