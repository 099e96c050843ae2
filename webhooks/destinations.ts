/**
 * Webhook destinations, checked after name resolution (SSRF): at
 * registration (`checkDestination`, POST /api/webhooks) and at every
 * delivery (`createDeliveryTransport`), where the connection goes through
 * request-filtering-agent (a maintained http(s).Agent that validates the
 * address each connection actually resolves to, so a name that later
 * resolves to 169.254.169.254, DNS rebinding included, is refused at
 * connect time). The rule itself is domain/destinations.ts.
 *
 * The agent's own switch is all or nothing (private addresses allowed or
 * not); where internal receivers are allowed (development, an allowlisted
 * host) our lookup, which the agent wraps, still refuses link-local and
 * unspecified addresses, and the URL's own host is checked before any
 * connection (the agent does not look up an IP literal).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { addressRefusal, classifyAddress, isAllowedHost, normaliseHost, urlRefusal, type DestinationRefusal, type WebhookDestinationPolicy } from '../domain/destinations';

export type { WebhookDestinationPolicy } from '../domain/destinations';

/** dns.lookup's signature: tests pass one that answers what they need (a name resolving to 169.254.169.254). */
export type DnsLookup = LookupFunction;

/** A destination refused by the rule, at registration or at connect time. */
export class DestinationRefusedError extends Error {
  override readonly name = 'DestinationRefusedError';
  readonly code = 'EDESTINATIONREFUSED';
  constructor(readonly refusal: DestinationRefusal) {
    super(refusal.message);
  }
}

const REGISTRATION_LOOKUP_TIMEOUT_MS = 3_000;

function lookupAll(lookup: DnsLookup, hostname: string, timeoutMs: number): Promise<LookupAddress[] | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    lookup(hostname, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      resolve(error ? null : (addresses as unknown as LookupAddress[]));
    });
  });
}

/**
 * The registration check: the URL's scheme and host, then every address the
 * host resolves to now. A name that does not resolve (yet) is not refused
 * here: each delivery checks what it resolves to then.
 */
export async function checkDestination(
  url: string,
  policy: WebhookDestinationPolicy,
  options: { lookup?: DnsLookup; timeoutMs?: number } = {},
): Promise<DestinationRefusal | null> {
  const parsed = new URL(url);
  const byUrl = urlRefusal(parsed, policy);
  if (byUrl) return byUrl;
  const host = normaliseHost(parsed.hostname);
  if (classifyAddress(host)) return null; // an IP address: decided above
  const addresses = await lookupAll(options.lookup ?? dnsLookup, host, options.timeoutMs ?? REGISTRATION_LOOKUP_TIMEOUT_MS);
  for (const { address } of addresses ?? []) {
    const refusal = addressRefusal(address, host, policy);
    if (refusal) return refusal;
  }
  return null;
}

/**
 * A lookup that refuses what is refused always (link-local, unspecified);
 * the filtering agent wraps it and applies its own rule on top: the strict
 * agent refuses every other address that is not public unicast.
 */
function refusingLookup(base: DnsLookup): LookupFunction {
  const always: WebhookDestinationPolicy = { allowInternal: true, allowedHosts: [] };
  return ((hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (...args: unknown[]) => void) => {
    base(hostname, options, ((error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
      if (error) return callback(error);
      const all = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
      for (const entry of all) {
        const refusal = addressRefusal(entry.address, hostname, always);
        if (refusal) return callback(new DestinationRefusedError(refusal));
      }
      return Array.isArray(address) ? callback(null, address) : callback(null, address, family);
    }) as never);
  }) as LookupFunction;
}

export type DeliveryRequest = { headers: Record<string, string>; body: string; timeoutMs: number };
export type DeliveryResponse = { status: number; retryAfter: string | null };

export type DeliveryTransport = {
  /** POSTs the body; rejects with DestinationRefusedError for a refused destination, or the network error */
  post(url: string, request: DeliveryRequest): Promise<DeliveryResponse>;
};

/**
 * The transport the dispatcher sends with: node's http(s) over
 * request-filtering-agent. Redirects are not followed (http.request never
 * does). Strict agents (production) refuse every address that is not
 * public unicast; internal ones (development, allowlisted hosts) allow
 * private and loopback addresses, never link-local ones.
 */
export function createDeliveryTransport(policy: WebhookDestinationPolicy, options: { lookup?: DnsLookup } = {}): DeliveryTransport {
  const strict = { 'http:': new RequestFilteringHttpAgent(), 'https:': new RequestFilteringHttpsAgent() };
  const internal = {
    'http:': new RequestFilteringHttpAgent({ allowPrivateIPAddress: true }),
    'https:': new RequestFilteringHttpsAgent({ allowPrivateIPAddress: true }),
  };
  const lookup = refusingLookup(options.lookup ?? (dnsLookup as DnsLookup));
  return {
    post(url, request) {
      return new Promise((resolve, reject) => {
        const target = new URL(url);
        if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new Error(`unsupported scheme ${target.protocol}`));
        const refusal = urlRefusal(target, policy);
        if (refusal) return reject(new DestinationRefusedError(refusal));
        const agents = policy.allowInternal || isAllowedHost(target.hostname, policy) ? internal : strict;
        const send = target.protocol === 'https:' ? https.request : http.request;
        const req = send(
          target,
          {
            method: 'POST',
            agent: agents[target.protocol],
            lookup,
            signal: AbortSignal.timeout(request.timeoutMs),
            headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          },
          (res) => {
            res.on('error', reject);
            res.on('end', () => {
              const retryAfter = res.headers['retry-after'];
              resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
            });
            res.resume();
          },
        );
        req.on('error', reject);
        req.end(request.body);
      });
    },
  };
}

/** The agent's own refusal ("DNS lookup … is not allowed") or ours, as the reason a delivery attempt records. */
export function refusalOf(error: unknown): string | null {
  if (error instanceof DestinationRefusedError) {
    return `destination refused (${error.refusal.reason}${error.refusal.address ? ` ${error.refusal.address}` : ''})`;
  }
  const message = (error as Error | undefined)?.message ?? '';
  const agent = /^DNS lookup (\S+?)\(.*is not allowed\. Because,? (.*)$/.exec(message);
  return agent ? `destination refused (${agent[2]!.replace(/^It is /, '').replace(/\.$/, '')}: ${agent[1]})` : null;
}
