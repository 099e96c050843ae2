/**
 * The settings that keep Temporal from being a side door, as platform/config.ts
 * reads them: mTLS files (read once, each problem named by its variable),
 * production's refusal of plaintext to a Temporal cluster elsewhere
 * (platform/start-failures.ts), the payload codec's keys
 * (platform/payload-key.ts) and the codec endpoint's listener.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackAddress, loadConfig } from '../../platform/config';
import { loadPayloadKeys } from '../../platform/payload-key';
import { explainConfigError, explainPlaintextTemporal } from '../../platform/start-failures';
import { temporalConnectionOptions } from '../../platform/temporal';
import { makeTestPki, type TestPki } from '../support/tls';

let pki: TestPki;
let scratch: string;
beforeAll(() => {
  pki = makeTestPki();
  scratch = mkdtempSync(join(tmpdir(), 'temporal-settings-'));
});
afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** the ConfigError's message, or a failure when the configuration loads */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

const key32 = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('mTLS settings for the Temporal connections', () => {
  it('are off by default: plaintext to the dev server npm start runs', () => {
    const config = loadConfig({});
    expect(config.temporal.tls).toBeUndefined();
    expect(config.temporal.plaintextChosen).toBe(false);
    expect(temporalConnectionOptions(config.temporal)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('read the PEM files once and hand them to both connection kinds', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.example.net:7233',
      TEMPORAL_TLS_CERT: pki.client.cert,
      TEMPORAL_TLS_KEY: pki.client.key,
      TEMPORAL_TLS_CA: pki.ca.cert,
      TEMPORAL_TLS_SERVER_NAME: pki.serverName,
    });
    const options = temporalConnectionOptions(config.temporal);
    expect(options.address).toBe('temporal.example.net:7233');
    expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toContain('-----BEGIN CERTIFICATE-----');
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toContain('PRIVATE KEY-----');
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toContain('-----BEGIN CERTIFICATE-----');
    expect(options.tls!.serverNameOverride).toBe(pki.serverName);
  });

  it('a CA or a server name alone is TLS without a client certificate (the system roots when no CA)', () => {
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CA: pki.ca.cert }).temporal).tls).toEqual({ serverRootCACertificate: expect.any(Buffer) });
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }).temporal).tls).toEqual({ serverNameOverride: 'temporal.internal' });
  });

  it('a certificate without its key, or a key without its certificate, is named', () => {
    expect(refusal({ TEMPORAL_TLS_CERT: pki.client.cert })).toMatch(/TEMPORAL_TLS_KEY: must be set with TEMPORAL_TLS_CERT/);
    expect(refusal({ TEMPORAL_TLS_KEY: pki.client.key })).toMatch(/TEMPORAL_TLS_CERT: must be set with TEMPORAL_TLS_KEY/);
  });

  it('an unreadable file, a file that is not PEM, and PEM that is not what it should be are named with the path', () => {
    const missing = join(scratch, 'missing.pem');
    expect(refusal({ TEMPORAL_TLS_CA: missing })).toContain(`TEMPORAL_TLS_CA: cannot read ${missing} (ENOENT)`);
    const notPem = join(scratch, 'not.pem');
    writeFileSync(notPem, 'just some text\n');
    expect(refusal({ TEMPORAL_TLS_CERT: notPem, TEMPORAL_TLS_KEY: pki.client.key })).toContain(`TEMPORAL_TLS_CERT: ${notPem} is not PEM`);
    const garbled = join(scratch, 'garbled.pem');
    writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(refusal({ TEMPORAL_TLS_CA: garbled })).toContain(`TEMPORAL_TLS_CA: ${garbled} does not hold a valid PEM certificate`);
    // a certificate where the key should be
    expect(refusal({ TEMPORAL_TLS_CERT: pki.client.cert, TEMPORAL_TLS_KEY: pki.client.cert })).toContain(`TEMPORAL_TLS_KEY: ${pki.client.cert} does not hold a valid PEM private key`);
    // a directory
    expect(refusal({ TEMPORAL_TLS_CA: scratch })).toContain(`TEMPORAL_TLS_CA: cannot read ${scratch} (EISDIR)`);
  });

  it("another certificate's key, and an expired certificate, are named", () => {
    expect(refusal({ TEMPORAL_TLS_CERT: pki.client.cert, TEMPORAL_TLS_KEY: pki.rogueClient.key })).toContain("TEMPORAL_TLS_KEY: is not the private key of TEMPORAL_TLS_CERT's certificate");
    expect(refusal({ TEMPORAL_TLS_CERT: pki.expiredClient.cert, TEMPORAL_TLS_KEY: pki.expiredClient.key })).toMatch(/TEMPORAL_TLS_CERT: the certificate expired on \d{4}-/);
  });

  it('TEMPORAL_TLS is off or unset, and off with TLS files is a contradiction', () => {
    expect(loadConfig({ TEMPORAL_TLS: 'off' }).temporal.plaintextChosen).toBe(true);
    expect(refusal({ TEMPORAL_TLS: 'on' })).toContain('TEMPORAL_TLS: must be off, or unset');
    expect(refusal({ TEMPORAL_TLS: 'off', TEMPORAL_TLS_CA: pki.ca.cert })).toContain('TEMPORAL_TLS: is off, but TEMPORAL_TLS_CA is set');
  });

  it('a start failure is one line naming the variables', () => {
    let error: unknown;
    try {
      loadConfig({ TEMPORAL_TLS_CERT: pki.client.cert, TEMPORAL_TLS_CA: join(scratch, 'missing.pem') });
    } catch (e) {
      error = e;
    }
    const line = explainConfigError(error as ConfigError);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^invalid configuration: TEMPORAL_TLS_CA: cannot read .*missing\.pem/);
  });
});

describe('production reaches a Temporal cluster elsewhere only over mTLS', () => {
  const explain = (env: Record<string, string>) => {
    const config = loadConfig(env);
    return explainPlaintextTemporal({ env: config.env, temporal: config.temporal });
  };

  it('refuses plaintext, or TLS without a client certificate, to an address that is not this machine, in one line', () => {
    const line = explain({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal.example.net:7233' });
    expect(line).toMatch(/^TEMPORAL_ADDRESS temporal\.example\.net:7233 is not on this machine and the connection to it has no client certificate: .*set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY .* or TEMPORAL_TLS=off /);
    expect(line).not.toContain('\n');
    expect(explain({ NODE_ENV: 'production', TEMPORAL_ADDRESS: '10.0.0.5:7233', TEMPORAL_TLS_CA: pki.ca.cert })).toMatch(/^TEMPORAL_ADDRESS 10\.0\.0\.5:7233 is not on this machine/);
  });

  it('accepts mTLS, plaintext said out loud (compose), this machine, and any address outside production', () => {
    expect(explain({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal.example.net:7233', TEMPORAL_TLS_CERT: pki.client.cert, TEMPORAL_TLS_KEY: pki.client.key })).toBeNull();
    expect(explain({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS: 'off' })).toBeNull();
    for (const address of ['127.0.0.1:7233', 'localhost:7233', '[::1]:7233', '127.0.0.2:7000']) expect(explain({ NODE_ENV: 'production', TEMPORAL_ADDRESS: address })).toBeNull();
    // unset: the worker and the API connect to 127.0.0.1:TEMPORAL_PORT
    expect(explain({ NODE_ENV: 'production' })).toBeNull();
    expect(explain({ NODE_ENV: 'development', TEMPORAL_ADDRESS: 'temporal.example.net:7233' })).toBeNull();
  });

  it('knows a loopback address when it sees one', () => {
    for (const a of ['localhost', 'localhost:7233', '127.0.0.1:7233', '127.1.2.3:1', '[::1]:7233', '::1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['temporal:7233', '10.0.0.1:7233', '0.0.0.0:7233', 'localhost.example.net:7233', '[::ffff:10.0.0.1]:7233', '128.0.0.1:7233']) expect(isLoopbackAddress(a), a).toBe(false);
  });
});

describe('the payload codec keys', () => {
  it('PAYLOAD_KEY is a key id and 32 bytes; previous keys only add ids', () => {
    const config = loadConfig({ PAYLOAD_KEY: `k2:${key32(2)}`, PAYLOAD_PREVIOUS_KEYS: ` k1:${key32(1)} , k0:${key32(0)}` });
    expect(config.payloadKeys.current).toEqual({ id: 'k2', key: Buffer.alloc(32, 2) });
    expect(config.payloadKeys.previous.map((k) => k.id)).toEqual(['k1', 'k0']);
  });

  it('names each malformed key', () => {
    expect(refusal({ PAYLOAD_KEY: key32(1) })).toMatch(/PAYLOAD_KEY: must be <key id>:<base64 of 32 random bytes>/);
    expect(refusal({ PAYLOAD_KEY: `k1:${Buffer.alloc(16).toString('base64')}` })).toContain('PAYLOAD_KEY: key "k1" is 16 bytes once decoded; AES-256 needs exactly 32');
    expect(refusal({ PAYLOAD_KEY: 'k1:not base64!' })).toMatch(/PAYLOAD_KEY: must be/);
    expect(refusal({ PAYLOAD_KEY: `k1:${key32(1)}`, PAYLOAD_PREVIOUS_KEYS: `k1:${key32(2)}` })).toContain('PAYLOAD_PREVIOUS_KEYS: key id "k1" is used twice');
    expect(refusal({ PAYLOAD_PREVIOUS_KEYS: `k1:${key32(1)}` })).toContain('PAYLOAD_KEY: must be set when PAYLOAD_PREVIOUS_KEYS is');
  });

  it('production requires PAYLOAD_KEY; elsewhere a key is made once in DATA_DIR (mode 0600) and shared', () => {
    const dataDir = join(scratch, 'data');
    expect(() => loadPayloadKeys(loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir }))).toThrow(/PAYLOAD_KEY: required in production/);
    const first = loadPayloadKeys(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }));
    expect(first.current.id).toMatch(/^dev-[0-9a-f]{8}$/);
    expect(first.current.key).toHaveLength(32);
    expect(statSync(join(dataDir, 'payload.key')).mode & 0o777).toBe(0o600);
    expect(loadPayloadKeys(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }))).toEqual(first);
    // the configured key wins over the file
    expect(loadPayloadKeys(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, PAYLOAD_KEY: `k9:${key32(9)}` })).current.id).toBe('k9');
  });
});

describe('the codec endpoint settings', () => {
  it('has no listener unless CODEC_PORT is set; loopback and the web UI origins by default', () => {
    const config = loadConfig({ TEMPORAL_UI_PORT: '8233' });
    expect(config.codec.port).toBeUndefined();
    expect(config.codec.host).toBe('127.0.0.1');
    expect(config.codec.allowedOrigins).toEqual(['http://localhost:8080', 'http://127.0.0.1:8080', 'http://localhost:8233', 'http://127.0.0.1:8233']);
    expect(loadConfig({ CODEC_PORT: '8081', CODEC_ALLOWED_ORIGINS: 'https://temporal-ui.example.net, http://[::1]:8080' }).codec).toEqual({
      port: 8081,
      host: '127.0.0.1',
      allowedOrigins: ['https://temporal-ui.example.net', 'http://[::1]:8080'],
    });
    expect(loadConfig({ CODEC_PORT: '' }).codec.port).toBeUndefined();
  });

  it('names an origin that is not one, and a port that is not one', () => {
    expect(refusal({ CODEC_ALLOWED_ORIGINS: 'http://localhost:8080/' })).toContain('CODEC_ALLOWED_ORIGINS: "http://localhost:8080/" is not an origin');
    expect(refusal({ CODEC_ALLOWED_ORIGINS: '*' })).toContain('CODEC_ALLOWED_ORIGINS: "*" is not an origin');
    expect(refusal({ CODEC_PORT: 'http' })).toMatch(/CODEC_PORT: /);
  });
});
