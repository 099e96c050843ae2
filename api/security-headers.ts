/**
 * Security headers on every response. API and health responses are JSON,
 * PDFs or iCalendar files and never render as pages: they get the strictest
 * Content-Security-Policy and are not cached. Other paths (the console's
 * static files) get the generic headers only; api/console.ts sets its own
 * Content-Security-Policy for the pages it serves.
 */
import type { NextFunction, Request, Response } from 'express';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'X-Permitted-Cross-Domain-Policies': 'none',
};

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const isApiPath = (path: string) => path === '/healthz' || path === '/api' || path.startsWith('/api/');

export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set(SECURITY_HEADERS);
    if (isApiPath(req.path)) {
      res.set('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
      res.set('Cache-Control', 'no-store');
    }
    next();
  };
}
