/**
 * Before `npm start` starts anything: is each port it needs free, and if not,
 * which process holds it (Linux: /proc/net/tcp* and /proc/<pid>/fd), so the
 * one line it prints names the port, the holder and the way out.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export type PortNeed = { host: string; port: number; what: string; /** what to set to move it, or how else to get out of the way */ wayOut: string };
export type TakenPort = PortNeed & { holder: string | null };

/** The needs whose port cannot be listened on right now, with the process that holds each (when it can be told). */
export async function takenPorts(needs: PortNeed[]): Promise<TakenPort[]> {
  const taken: TakenPort[] = [];
  for (const need of needs) {
    if (await canListen(need.host, need.port)) continue;
    taken.push({ ...need, holder: portHolder(need.port) });
  }
  return taken;
}

export function describeTakenPort(t: TakenPort): string {
  return `port ${t.port} (${t.what}) is already in use${t.holder ? ` by ${t.holder}` : ''}: stop that process, or ${t.wayOut}`;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** "pid 1234 (postgres -D /data)" for the process listening on the TCP port, or null when /proc does not tell. */
export function portHolder(port: number): string | null {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text = '';
      try {
        text = readFileSync(table, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN
        if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
      }
    }
    if (inodes.size === 0) return null;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let target = '';
        try {
          target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) {
          const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
          return `pid ${pid} (${command.length > 120 ? `${command.slice(0, 117)}…` : command})`;
        }
      }
    }
    return null;
  } catch {
    return null;
  }
}
