/**
 * `npm start` failures as one line each: what failed, why (read from the
 * failing program's own log) and the way out (the variable to set, or what
 * to stop). scripts/start.ts prints the line and exits 1; the worker
 * (worker/main.ts) does the same with the checks it makes itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTakenPort, portHolder, takenPorts } from './ports';
import { isLoopbackAddress, type Config, type ConfigError } from './config';

/** The last lines of a log file (empty when it cannot be read). */
export function tailOf(file: string, lines = 40): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).slice(-lines);
  } catch {
    return [];
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** ConfigError's several lines ("  PORT: …") as one: "invalid configuration: PORT: …; TEMPORAL_PORT: …: fix these variables". */
export function explainConfigError(error: ConfigError): string {
  const issues = error.message.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  return `invalid configuration: ${issues.join('; ')}: set ${issues.length === 1 ? 'that variable' : 'those variables'} to a valid value (or unset ${issues.length === 1 ? 'it' : 'them'} for the default)`;
}

/**
 * Production sends SMS only to the SMSC SMPP_URL names: without it the worker
 * would bind to DEFAULT_SMPP_URL, the development simulator's address and
 * credentials (platform/sms-config.ts). The one line to print, or null when
 * SMPP_URL is set or this is not production.
 */
export function explainMissingSmppUrl(input: { env: Config['env']; smppUrlConfigured: boolean }): string | null {
  if (input.env !== 'production' || input.smppUrlConfigured) return null;
  return "SMPP_URL is not set: with NODE_ENV=production SMS goes only to the SMS gateway you name, never to the development simulator's address: set SMPP_URL to your SMSC, smpp://system_id:password@host:port (docs/sms.md)";
}

/**
 * Production reaches a Temporal frontend that is not on this machine only
 * over mTLS (TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY), or over plaintext said
 * out loud (TEMPORAL_TLS=off: a frontend on a private network only, as
 * docker-compose.yml's): whoever reaches an unauthenticated frontend could
 * read every history and cancel any workflow. The one line to print, or null.
 * The worker, the API and `npm start` check it before connecting.
 */
export function explainPlaintextTemporal(input: { env: Config['env']; temporal: Pick<Config['temporal'], 'address' | 'tls' | 'plaintextChosen'> }): string | null {
  const { address, tls, plaintextChosen } = input.temporal;
  if (input.env !== 'production' || !address || isLoopbackAddress(address) || plaintextChosen || tls?.clientCert) return null;
  return `TEMPORAL_ADDRESS ${address} is not on this machine and the connection to it has no client certificate: with NODE_ENV=production the worker and the API reach a Temporal cluster only over mTLS: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (PEM files; TEMPORAL_TLS_CA and TEMPORAL_TLS_SERVER_NAME as the cluster needs), or TEMPORAL_TLS=off if the frontend is reachable on a private network only, as in docker-compose.yml (docs/security.md)`;
}

/** The process named in a postmaster.pid (its first line), or null. */
function postmasterHolder(databaseDir: string): string | null {
  try {
    const pid = readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
    if (!/^\d+$/.test(pid)) return null;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      // not on Linux, or the process is gone
    }
    return `pid ${pid}${command ? ` (${command.length > 120 ? `${command.slice(0, 117)}…` : command})` : ''}`;
  } catch {
    return null;
  }
}

/**
 * Why the embedded PostgreSQL did not start, from what it logged: its data
 * directory held by another server, its port taken (after the check: a race),
 * or whatever its last FATAL/ERROR line says.
 */
export function explainPostgresFailure(input: { dataDir: string; port: number; log: string[]; logFile: string; error: unknown }): string {
  const databaseDir = join(input.dataDir, 'postgres');
  const text = input.log.join('\n');
  if (/lock file "postmaster\.pid" already exists/.test(text)) {
    const holder = /another postmaster \(PID (\d+)\)/.exec(text)?.[1];
    const who = postmasterHolder(databaseDir) ?? (holder ? `pid ${holder}` : 'another PostgreSQL');
    return `the embedded PostgreSQL's data directory ${databaseDir} is in use by ${who} (another npm start on this DATA_DIR?): stop that process, or set DATA_DIR to another directory (or DATABASE_URL to a server of yours)`;
  }
  if (/could not bind|could not create any TCP\/IP sockets|Address already in use/i.test(text)) {
    return describeTakenPort({
      host: '127.0.0.1',
      port: input.port,
      what: 'the embedded PostgreSQL',
      wayOut: 'set EMBEDDED_POSTGRES_PORT to a free port (or DATABASE_URL to a server of yours)',
      holder: portHolder(input.port),
    });
  }
  const reason = input.error instanceof Error && input.error.message ? input.error.message : [...input.log].reverse().find((l) => /FATAL|ERROR|PANIC/.test(l)) ?? input.log.at(-1);
  return `the embedded PostgreSQL did not start (data in ${databaseDir}, port ${input.port}): ${reason ? oneLine(reason).slice(0, 300) : 'it exited without a word'} (its log: ${input.logFile}): fix that, or set DATA_DIR to a fresh directory or DATABASE_URL to a server of yours`;
}

/**
 * Why the Temporal dev server exited: a port it needs taken by
 * someone else (checked now that it is gone), its database held by another
 * server on the same DATA_DIR, or the last error line of its log.
 */
export async function explainTemporalExit(input: { port: number; uiPort: number; log: string[]; logFile: string; code: number | null; signal: string | null }): Promise<string> {
  const taken = await takenPorts([
    { host: '127.0.0.1', port: input.port, what: 'the Temporal dev server', wayOut: 'set TEMPORAL_PORT to a free port (or TEMPORAL_ADDRESS to a server of yours)' },
    { host: '127.0.0.1', port: input.uiPort, what: 'the Temporal web UI', wayOut: 'set TEMPORAL_UI_PORT to a free port' },
  ]);
  if (taken[0]) return describeTakenPort(taken[0]);
  const text = input.log.join('\n');
  if (/database is locked|SQLITE_BUSY/i.test(text)) {
    return `the Temporal dev server's database in DATA_DIR is in use by another Temporal server (another npm start on this DATA_DIR?): stop it, or set DATA_DIR to another directory (or TEMPORAL_ADDRESS to a server of yours)`;
  }
  const last = [...input.log].reverse().find((l) => /error|fatal|unable|failed/i.test(l)) ?? input.log.at(-1);
  return `the Temporal dev server exited (code ${input.code}, signal ${input.signal}): ${last ? oneLine(last).slice(0, 300) : 'no output'} (its log: ${input.logFile}): fix that, or set TEMPORAL_ADDRESS to a server of yours`;
}

/** A child that should keep running exited: its port taken by someone else (e.g. the API's, after the check), or just the fact. */
export async function explainChildExit(input: { name: string; code: number | null; signal: string | null; port?: { port: number; host: string; what: string; wayOut: string } }): Promise<string> {
  if (input.port) {
    const [taken] = await takenPorts([input.port]);
    if (taken) return describeTakenPort(taken);
  }
  return `${input.name} exited unexpectedly (code ${input.code}, signal ${input.signal}); its output is above: fix what it says, then start again`;
}
