/**
 * Where documents are rendered: in the calling process, or in a pool of
 * render processes.
 *
 * A contract PDF is ≈ 55 ms of CPU (fontkit's CFF subsetting, zlib: see
 * docs/performance.md (4)). Rendered on the worker's main thread it delays
 * every workflow activation and query queued behind it. The pool moves that
 * work into separate processes that run at a lower CPU priority (nice 10 by
 * default): on a busy machine the deadlines, queries and API requests get the
 * CPU first and documents take what is left; on an idle one they run at full
 * speed. Documents stay exactly-once either way: the activity that asks for a
 * render stores the bytes (activities/render-once.ts), and a render that dies
 * with its process fails the activity, which Temporal retries.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../platform/logger';
import { isTemplateName, renderTemplate, type TemplateInput, type TemplateName } from './templates';

export interface PdfRenderer {
  render<K extends TemplateName>(template: K, input: TemplateInput<K>): Promise<Buffer>;
  close(): Promise<void>;
}

export const IN_PROCESS_RENDERER: PdfRenderer = { render: renderTemplate, close: async () => undefined };

export type RenderPoolOptions = {
  /** render processes (at least 1) */
  processes: number;
  /** the processes' CPU niceness (0–19; higher yields more) */
  nice?: number;
  /** a render taking longer kills its process (the request fails, a fresh process takes its place) */
  timeoutMs?: number;
  logger?: Logger;
};

export type RenderPool = PdfRenderer & {
  /** the live render processes */
  pids(): number[];
  /** the documents its processes have rendered (and answered) so far */
  rendered(): number;
};

/** What the parent sends a render process, and what comes back. */
export type RenderRequest = { id: number; template: TemplateName; input: unknown };
export type RenderReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

type Job = { id: number; template: TemplateName; input: unknown; resolve: (pdf: Buffer) => void; reject: (error: Error) => void };
type Slot = { child: ChildProcess; job: Job | null; timer: NodeJS.Timeout | null };

const RENDER_PROCESS = join(__dirname, 'render-process.ts');
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

export function createRenderPool(options: RenderPoolOptions): RenderPool {
  if (!Number.isInteger(options.processes) || options.processes < 1) throw new Error('a render pool needs at least one process');
  const nice = options.nice ?? 10;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let closing = false;
  let rendered = 0;

  const finish = (slot: Slot): Job | null => {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  };

  const pump = () => {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        options.logger?.warn({ pid: slot.child.pid, template: job.template, timeoutMs }, 'render timed out: restarting its process');
        slot.child.kill('SIGKILL');
      }, timeoutMs);
      slot.child.send({ id: job.id, template: job.template, input: job.input } satisfies RenderRequest, (error) => {
        if (error && slot.job === job) slot.child.kill('SIGKILL'); // the exit handler fails the job
      });
    }
  };

  const spawnSlot = () => {
    const child = fork(RENDER_PROCESS, [], { execArgv: ['--import', TSX_LOADER], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const slot: Slot = { child, job: null, timer: null };
    slots.add(slot);
    try {
      if (child.pid) setPriority(child.pid, nice);
    } catch (error) {
      options.logger?.warn({ err: error, pid: child.pid, nice }, 'could not lower the render process priority');
    }
    child.on('message', (reply: RenderReply) => {
      if (slot.job?.id !== reply.id) return;
      const job = finish(slot)!;
      if ('error' in reply) job.reject(new Error(`rendering ${job.template} failed: ${reply.error}`));
      else {
        rendered += 1;
        job.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      }
      pump();
    });
    child.on('error', (error) => options.logger?.warn({ err: error, pid: child.pid }, 'render process error'));
    child.on('exit', (code, signal) => {
      slots.delete(slot);
      const job = finish(slot);
      if (job) job.reject(new Error(`the render process ${child.pid} exited (${signal ?? `code ${code}`}) while rendering ${job.template}`));
      if (closing) return;
      options.logger?.warn({ pid: child.pid, code, signal }, 'render process exited: starting another');
      spawnSlot();
      pump();
    });
  };

  for (let i = 0; i < options.processes; i++) spawnSlot();

  return {
    render(template, input) {
      if (closing) return Promise.reject(new Error('the render pool is closed'));
      if (!isTemplateName(template)) return Promise.reject(new Error(`unknown document template ${String(template)}`));
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, template, input, resolve, reject });
        pump();
      });
    },
    pids: () => [...slots].flatMap((slot) => (slot.child.pid ? [slot.child.pid] : [])),
    rendered: () => rendered,
    async close() {
      closing = true;
      for (const job of queue.splice(0)) job.reject(new Error('the render pool is closed'));
      await Promise.all(
        [...slots].map(
          (slot) =>
            new Promise<void>((done) => {
              if (slot.child.exitCode !== null || slot.child.signalCode !== null) return done();
              slot.child.once('exit', () => done());
              slot.child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
