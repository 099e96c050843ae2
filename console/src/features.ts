/**
 * What the console offers, by endpoint: each feature is shown only when its
 * route exists in the API's route table and the role may call it (the server
 * enforces it anyway). The shell's navigation and the pages read it; it
 * imports neither, so a page never imports the shell back.
 */
import { can, routeExists, type Role } from './api';

export const features = {
  contracts: (role: Role) => can(role, 'get', '/api/contracts'),
  createContract: (role: Role) => can(role, 'post', '/api/contracts'),
  importContracts: (role: Role) => can(role, 'post', '/api/contract-imports'),
  sign: (role: Role) => can(role, 'post', '/api/contracts/:id/signatures'),
  finance: (role: Role) => can(role, 'get', '/api/invoices'),
  recordPayment: (role: Role) => can(role, 'post', '/api/contracts/:id/payments'),
  topUp: (role: Role) => can(role, 'post', '/api/contracts/:id/top-ups'),
  quota: (role: Role) => can(role, 'get', '/api/contracts/:id/quota'),
  legal: (role: Role) => can(role, 'get', '/api/cases'),
  serveBreach: (role: Role) => can(role, 'post', '/api/contracts/:id/breach-notices'),
  /** the outages screen: for those who declare outages or release their notices */
  outages: (role: Role) => can(role, 'get', '/api/outages') && (can(role, 'post', '/api/outages') || can(role, 'post', '/api/outages/:id/release')),
  reportViolation: (role: Role) => can(role, 'post', '/api/contracts/:id/violations'),
  declareForceMajeure: (role: Role) => can(role, 'post', '/api/contracts/:id/force-majeure'),
  /** the composer lints in the browser; sending needs the messages endpoint */
  compose: (role: Role) =>
    routeExists('post', '/api/contracts/:id/messages') ? can(role, 'post', '/api/contracts/:id/messages') : role === 'customer' || role === 'admin',
  sendMessages: (role: Role) => can(role, 'post', '/api/contracts/:id/messages'),
  messages: (role: Role) => can(role, 'get', '/api/contracts/:id/messages') || can(role, 'get', '/api/contracts/:id/ledger'),
  cases: (role: Role) => can(role, 'get', '/api/cases'),
  digest: (role: Role) => can(role, 'get', '/api/digests/latest') || can(role, 'get', '/api/calendar.ics'),
  holidayCalendar: (role: Role) => can(role, 'get', '/api/holiday-calendar'),
  /** the work queue: for those who can act on items (a customer operator's inbox is always empty) */
  inbox: (role: Role) => can(role, 'get', '/api/inbox') && can(role, 'post', '/api/inbox/:id/acknowledge'),
  /** signatures and templates (the appendix): the customer applies; operations review */
  smsTemplates: (role: Role) => can(role, 'post', '/api/contracts/:id/sms-templates'),
  smsReviews: (role: Role) => can(role, 'get', '/api/sms-reviews'),
  /** the admin's user screens: list, create, roles, passwords */
  users: (role: Role) => can(role, 'get', '/api/users'),
  /** one's own password (a cookie session: the shell shows it only then) */
  changeOwnPassword: (role: Role) => can(role, 'put', '/api/me/password'),
  sendFromTemplate: (role: Role) => can(role, 'post', '/api/contracts/:id/messages') && can(role, 'get', '/api/contracts/:id/sms-templates'),
};
