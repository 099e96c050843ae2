/**
 * The codec endpoint (Temporal's remote codec protocol): `POST /codec/decode`
 * and `POST /codec/encode`, `{ "payloads": [{ "metadata": { k: base64 },
 * "data": base64 }] }` in and out, through the product's payload codec
 * (platform/payload-codec.ts). The Temporal web UI (its codec endpoint set to
 * `http://localhost:8081/codec`) and `temporal workflow show --codec-endpoint`
 * use it to show the histories the codec encrypted.
 *
 * Who may call it: it decrypts whatever payload it is given, so it is served on
 * a listener of its own, never the API's port, bound to loopback by default
 * (CODEC_HOST, CODEC_PORT; api/main.ts), reached like the web UI itself, on the
 * same machine or through the same SSH tunnel (docs/security.md). The web UI
 * sends no credentials of ours (it can pass only its own OIDC token), so the
 * listener's reach is its authentication, and on top of it:
 *
 * - a request from a web page must come from an allowed origin
 *   (CODEC_ALLOWED_ORIGINS: the web UI's): any other `Origin` is a 403 and gets
 *   no CORS headers, so a page the operator happens to visit cannot use the
 *   tunnel; requests without `Origin` (the CLI, curl) pass;
 * - the `Host` must name this machine (localhost, a loopback address, or the
 *   host it listens on), against DNS rebinding;
 * - the body must be `application/json` (a cross-origin JSON POST needs a
 *   preflight, which only allowed origins pass), at most 4 MB (twice Temporal's
 *   payload limit);
 * - answers are `Cache-Control: no-store`.
 */
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import type { Logger } from '../platform/logger';
import { PayloadDecryptionError } from '../platform/payload-codec';
import { errorMiddleware } from './errors';
import { requireJsonBody } from './http';
import { API_CONTENT_SECURITY_POLICY } from './security-headers';

export const CODEC_BODY_LIMIT = '4mb';

export type CodecAppOptions = {
  /** the product's data converter: its payload codecs are what this endpoint runs */
  dataConverter: DataConverter;
  /** web origins (scheme://host[:port]) whose pages may call it: the Temporal web UI's */
  allowedOrigins: string[];
  /** extra Host names it answers to besides localhost and loopback addresses (the host it listens on, when not loopback) */
  allowedHosts?: string[];
  logger: Logger;
};

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const ZPayload = z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() });
const ZCodecRequest = z.object({ payloads: z.array(ZPayload).max(10_000) }).strict();

type JsonPayload = z.infer<typeof ZPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): { metadata: Record<string, string>; data: string } => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** host of a Host header, without the port ([::1]:8081 → ::1) */
function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(1, header.indexOf(']')).toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

export function createCodecApp(options: CodecAppOptions): Express {
  const codecs: PayloadCodec[] = options.dataConverter.payloadCodecs ?? [];
  const origins = new Set(options.allowedOrigins);
  const hosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const app = express();
  app.disable('x-powered-by');

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': API_CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      Vary: 'Origin',
    });
    const host = hostName(req.get('host'));
    if (!isLoopbackHost(host) && !hosts.has(host)) {
      throw new AppError('FORBIDDEN', `the codec endpoint answers only requests addressed to this machine (localhost), not to ${host || 'no host'}`);
    }
    const origin = req.get('origin');
    if (origin !== undefined) {
      if (!origins.has(origin)) throw new AppError('FORBIDDEN', `origin ${origin} may not use the codec endpoint (CODEC_ALLOWED_ORIGINS)`);
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
        'Access-Control-Max-Age': '600',
      });
    }
    next();
  });

  for (const action of ['encode', 'decode'] as const) {
    const path = `/codec/${action}`;
    app.options(path, (_req: Request, res: Response) => void res.status(204).end());
    app.post(path, requireJsonBody, express.json({ limit: CODEC_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }), async (req: Request, res: Response) => {
      const parsed = ZCodecRequest.safeParse(req.body);
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', 'the body must be { "payloads": [{ "metadata": { name: base64 }, "data": base64 }] }', {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      let payloads = parsed.data.payloads.map(fromJson);
      try {
        // as the SDK applies them: encode in order, decode in reverse
        if (action === 'encode') for (const codec of codecs) payloads = await codec.encode(payloads);
        else for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      } catch (error) {
        if (error instanceof PayloadDecryptionError) throw new AppError('VALIDATION_FAILED', error.message);
        throw error;
      }
      options.logger.debug({ action, payloads: payloads.length, namespace: req.get('x-namespace') }, 'codec request');
      res.json({ payloads: payloads.map(toJson) });
    });
  }

  app.use((_req: Request, _res: Response) => {
    throw new AppError('NOT_FOUND', 'the codec endpoint serves POST /codec/decode and POST /codec/encode');
  });
  app.use(errorMiddleware(options.logger));
  return app;
}
