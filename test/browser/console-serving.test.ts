/**
 * How the API process serves the console: index.html at / and at every
 * client route, hashed assets, security headers (a CSP without inline
 * scripts), and the API's own 404s untouched. No database or Temporal is
 * needed to serve files, so the app gets inert dependencies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import path from 'node:path';
import pino from 'pino';
import supertest from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../api/app';
import { CONSOLE_DIST } from '../../api/console';
import { loadConfig } from '../../platform/config';
import { ensureConsoleBuilt } from './browser';

let agent: ReturnType<typeof supertest>;

beforeAll(() => {
  ensureConsoleBuilt();
  const deps = { db: {} as AppDeps['db'], temporal: {} as AppDeps['temporal'], taskQueue: 'none', logger: pino({ level: 'silent' }), bodyLimit: '256kb', queryTimeoutMs: 1, rateLimits: loadConfig().rateLimits } as AppDeps;
  agent = supertest(createApp(deps));
});

const expectConsoleHeaders = (res: supertest.Response) => {
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
};

describe('the console served by the API process', () => {
  it('serves index.html at / with security headers and no inline script', async () => {
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expectConsoleHeaders(res);
    expect(res.text).toContain('<div id="root"></div>');
    // every script is an external file from the same origin
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
  });

  it('falls back to index.html for client routes, deep links included', async () => {
    for (const route of ['/contracts', '/contracts/new', '/contracts/3f0c9f4e-1111-4222-8333-944455556666/sign?party=A', '/finance', '/compose', '/signin']) {
      const res = await agent.get(route);
      expect(res.status, route).toBe(200);
      expect(res.text, route).toContain('<div id="root"></div>');
      expectConsoleHeaders(res);
    }
  });

  it('serves hashed assets as immutable with their content type, and 404s missing files', async () => {
    const assets = readdirSync(path.join(CONSOLE_DIST, 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const css = assets.find((f) => f.endsWith('.css'))!;
    const script = await agent.get(`/assets/${js}`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toContain('immutable');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.text).toBe(readFileSync(path.join(CONSOLE_DIST, 'assets', js), 'utf8'));
    expect((await agent.get(`/assets/${css}`)).headers['content-type']).toMatch(/text\/css/);
    expect((await agent.get('/assets/missing-0000.js')).status).toBe(404);
    expect((await agent.get('/favicon.ico')).status).toBe(404);
    // the build stamp is not served
    expect((await agent.get('/.inputs.sha256')).status).toBe(404);
  });

  it('sends each text asset in the encoding the browser prefers, built ahead (br, then gzip), and never a source map', async () => {
    const server = createApp({ db: {} as AppDeps['db'], temporal: {} as AppDeps['temporal'], taskQueue: 'none', logger: pino({ level: 'silent' }), bodyLimit: '256kb', queryTimeoutMs: 1, rateLimits: loadConfig().rateLimits } as AppDeps).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const raw = (url: string, acceptEncoding?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    try {
      const index = (await raw('/')).body.toString('utf8');
      const entry = /<script[^>]*src="(\/assets\/[^"]+\.js)"/.exec(index)![1]!;
      const plain = readFileSync(path.join(CONSOLE_DIST, entry));

      const br = await raw(entry, 'gzip, deflate, br');
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toContain('Accept-Encoding');
      expect(br.headers['cache-control']).toContain('immutable');
      expect(br.headers['content-security-policy']).toContain("script-src 'self'");
      expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.length / 2);

      const gz = await raw(entry, 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain)).toBe(true);

      const identity = await raw(entry);
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.body.equals(plain)).toBe(true);

      // no map is built into dist, referenced by a bundle, or served
      const assets = readdirSync(path.join(CONSOLE_DIST, 'assets'));
      expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
      for (const f of assets.filter((name) => name.endsWith('.js'))) expect(readFileSync(path.join(CONSOLE_DIST, 'assets', f), 'utf8')).not.toContain('sourceMappingURL');
      expect((await raw(`${entry}.map`, 'br')).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves the API alone: unknown /api paths are JSON 404s, and writes to console paths are not pages', async () => {
    const res = await agent.get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.text).not.toContain('<div id="root">');
    const post = await agent.post('/contracts').send({});
    expect(post.status).toBe(404);
    expect(post.text).not.toContain('<div id="root">');
  });
});
