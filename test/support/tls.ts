/**
 * A throwaway PKI for TLS tests, made with the `openssl` CLI (node:crypto
 * makes keys, not X.509 certificates): a CA, a server certificate for
 * `temporal.test` (and 127.0.0.1), a client certificate the CA signed, and a
 * rogue CA with a client certificate of its own. EC P-256, valid for two days;
 * `expiredClient` expired before it began.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestPki = {
  dir: string;
  ca: { cert: string; key: string };
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  rogueCa: { cert: string; key: string };
  rogueClient: { cert: string; key: string };
  expiredClient: { cert: string; key: string };
  serverName: string;
};

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string) {
  openssl(dir, ['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

function makeLeaf(dir: string, name: string, ca: { cert: string; key: string }, extensions: string, days = '2') {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`]);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-pki-'));
  const serverName = 'temporal.test';
  const ca = makeCa(dir, 'ca');
  const rogueCa = makeCa(dir, 'rogue-ca');
  const client = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';
  return {
    dir,
    serverName,
    ca,
    rogueCa,
    server: makeLeaf(dir, 'server', ca, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${serverName},IP:127.0.0.1\n`),
    client: makeLeaf(dir, 'worker-client', ca, client),
    rogueClient: makeLeaf(dir, 'rogue-client', rogueCa, client),
    expiredClient: makeLeaf(dir, 'expired-client', ca, client, '-1'),
  };
}
