/**
 * Serves the web console (console/dist, built by `npm run build:console`;
 * `npm start` and `npm test` build it when it is missing or stale) at `/`,
 * with security headers, and index.html for the console's own routes
 * (/contracts/…, /finance, …) so deep links and reloads work. Registered
 * after the API routes; /api and /healthz never reach it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

export const CONSOLE_DIST = path.resolve(__dirname, '../console/dist');

/** No inline script anywhere; styles are files (React sets element styles through the DOM, which CSP allows). */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // PDF previews are blob: URLs of documents fetched with the bearer token
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  });
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>console not built</title>
<p>The web console has not been built: run <code>npm run build:console</code> (npm start and npm test build it themselves).</p>
<p>控制台尚未构建：请运行 <code>npm run build:console</code>。</p>`;

const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * A hashed asset in the encoding the browser prefers of those built beside it
 * (console/build.mjs writes .br and .gz twins): the bytes on the wire are a
 * quarter of the file's. True when it answered.
 */
function servePrecompressed(dist: string, req: Request, res: Response, next: NextFunction): boolean {
  if (!req.path.startsWith('/assets/') || req.path.includes('..')) return false;
  const file = path.join(dist, req.path);
  if (!file.startsWith(path.join(dist, 'assets') + path.sep)) return false;
  // ours in our order (brotli is smaller), whatever order the browser lists them in
  const encoding = ENCODINGS.find((e) => req.acceptsEncodings(e.name) === e.name);
  if (!encoding || !existsSync(file + encoding.suffix)) return false;
  securityHeaders(res);
  res.set({ 'Content-Encoding': encoding.name, Vary: 'Accept-Encoding', 'Cache-Control': 'public, max-age=31536000, immutable' });
  res.type(path.extname(file));
  res.sendFile(file + encoding.suffix, { dotfiles: 'deny' }, (error) => {
    if (error && !res.headersSent) {
      res.removeHeader('Content-Encoding');
      next();
    }
  });
  return true;
}

export function consoleMiddleware(dist: string = CONSOLE_DIST): Router {
  const router = express.Router();
  const serveStatic = express.static(dist, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: (res, file) => {
      securityHeaders(res as unknown as Response);
      // hashed bundles never change under their name; everything else is revalidated
      if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Vary', 'Accept-Encoding');
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  // read per request (a few KB): a rebuild while the API runs is served at once
  const readIndex = (): string | null => {
    try {
      return readFileSync(path.join(dist, 'index.html'), 'utf8');
    } catch {
      return null;
    }
  };

  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/api' || req.path.startsWith('/api/') || req.path === '/healthz') return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (servePrecompressed(dist, req, res, next)) return;
    serveStatic(req, res, () => {
      // a missing file with an extension (/assets/old.js, /favicon.ico) is a 404, not the app
      if (path.extname(req.path) !== '') return next();
      const body = readIndex();
      securityHeaders(res);
      res.set('Cache-Control', 'no-cache');
      if (body === null) {
        res.status(503).type('html').send(NOT_BUILT);
        return;
      }
      res.status(200).type('html').send(body);
    });
  });
  return router;
}
