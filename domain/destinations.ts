/**
 * Where an outgoing webhook may go (server-side request forgery): the rule
 * on addresses, shared by the registration check (api/routes/webhooks.ts)
 * and the delivery agent (webhooks/destinations.ts). Address ranges are
 * ipaddr.js's, the same library request-filtering-agent judges by.
 *
 * - Link-local addresses (169.254.0.0/16, fe80::/10: where cloud metadata
 *   services answer, 169.254.169.254) and the unspecified ones (0.0.0.0, ::)
 *   are refused always, however they are written (IPv4-mapped, NAT64, 6to4)
 *   and whatever a setting allows.
 * - Every other address that is not public unicast (private, loopback,
 *   carrier-grade NAT, unique-local, reserved, multicast…) and plain http
 *   are refused unless the policy allows internal destinations (development,
 *   tests) or the host is named in the allowlist (WEBHOOK_ALLOWED_HOSTS).
 */
import ipaddr from 'ipaddr.js';

export type WebhookDestinationPolicy = {
  /** private and loopback addresses and plain http allowed everywhere (development and tests: a receiver on this machine) */
  allowInternal: boolean;
  /** hosts (names or IP addresses, lower case) that may be internal and plain http even when allowInternal is false */
  allowedHosts: readonly string[];
};

/** Stable reasons, sent as `reason` with the 400 and written into a refused delivery attempt. */
export type DestinationRefusalReason = 'link_local' | 'unspecified' | 'internal_address' | 'plain_http';

export type DestinationRefusal = { reason: DestinationRefusalReason; message: string; address?: string };

type AddressClass = { kind: 'link_local' | 'unspecified' | 'internal' | 'public'; range: string };

const LINK_LOCAL_HELP = 'link-local (169.254.0.0/16, fe80::/10: where cloud metadata services answer)';

/** The IPv4 address an IPv6 one carries (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const p = address.parts;
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const range = address.range();
  if (range === 'rfc6052') return fromWords(p[6]!, p[7]!);
  if (range === '6to4') return fromWords(p[1]!, p[2]!);
  return null;
}

/** A plain IP address (dotted quad or IPv6), not the legacy forms (`0x7f.1`) a URL parser has already rewritten. */
const isIpAddress = (value: string) => ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);

/** What kind of destination an IP address is; null when it is not an IP address. */
export function classifyAddress(address: string): AddressClass | null {
  if (!isIpAddress(address)) return null;
  const parsed = ipaddr.parse(address);
  const candidates: (ipaddr.IPv4 | ipaddr.IPv6)[] = [parsed];
  if (parsed.kind() === 'ipv6') {
    const inner = embeddedIPv4(parsed as ipaddr.IPv6);
    if (inner) candidates.push(inner);
  }
  for (const candidate of candidates) {
    const range = candidate.range();
    if (range === 'linkLocal') return { kind: 'link_local', range };
    if (range === 'unspecified') return { kind: 'unspecified', range };
  }
  const range = parsed.range();
  return { kind: range === 'unicast' ? 'public' : 'internal', range };
}

/** A host as written in a URL or a setting, compared with the allowlist: lower case, no brackets or trailing dot, IPs normalised. */
export function normaliseHost(host: string): string {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return isIpAddress(bare) ? ipaddr.process(bare).toString() : bare;
}

/** For the configuration: an allowlist entry that is a link-local or unspecified address is refused at startup. */
export function isLinkLocalLiteral(host: string): boolean {
  const kind = classifyAddress(normaliseHost(host))?.kind;
  return kind === 'link_local' || kind === 'unspecified';
}

export function isAllowedHost(host: string, policy: WebhookDestinationPolicy): boolean {
  const wanted = normaliseHost(host);
  return policy.allowedHosts.some((entry) => normaliseHost(entry) === wanted);
}

/** Whether a connection to `address` (what `host` resolved to, or the host itself when it is an IP) is refused, and why. */
export function addressRefusal(address: string, host: string, policy: WebhookDestinationPolicy): DestinationRefusal | null {
  const cls = classifyAddress(address);
  if (!cls) return null;
  const named = normaliseHost(host) === normaliseHost(address) ? address : `${host} resolves to ${address}, which`;
  if (cls.kind === 'link_local') {
    return { reason: 'link_local', address, message: `${named} is a ${LINK_LOCAL_HELP} address: webhooks are never sent there` };
  }
  if (cls.kind === 'unspecified') return { reason: 'unspecified', address, message: `${named} is the unspecified address: not a destination` };
  if (cls.kind === 'internal' && !policy.allowInternal && !isAllowedHost(host, policy)) {
    return {
      reason: 'internal_address',
      address,
      message: `${named} is a ${cls.range} address (not public): in production a webhook reaches an internal receiver only when its host is named in WEBHOOK_ALLOWED_HOSTS`,
    };
  }
  return null;
}

/** What the URL alone decides: its scheme, and its host when that is an IP address. */
export function urlRefusal(url: URL, policy: WebhookDestinationPolicy): DestinationRefusal | null {
  const host = normaliseHost(url.hostname);
  const byAddress = addressRefusal(host, host, policy);
  if (byAddress) return byAddress;
  if (url.protocol === 'http:' && !policy.allowInternal && !isAllowedHost(host, policy)) {
    return { reason: 'plain_http', message: 'plain http is refused in production: use https (or name the internal host in WEBHOOK_ALLOWED_HOSTS)' };
  }
  return null;
}
