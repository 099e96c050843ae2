/**
 * A render process of the pool (pdf/renderer.ts): renders one request at a
 * time, as it arrives over IPC, and answers with the bytes or the error.
 */
import { loadFonts } from './fonts';
import { renderTemplate } from './templates';
import type { RenderReply, RenderRequest } from './renderer';

loadFonts(); // parsed once, before the first request waits for it

process.on('message', (request: RenderRequest) => {
  renderTemplate(request.template, request.input as never).then(
    (pdf) => reply({ id: request.id, pdf }),
    (error: unknown) => reply({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0)); // the parent is gone
// a terminal's Ctrl-C reaches the whole process group: the worker drains its renders first, then closes the pool
process.on('SIGINT', () => undefined);

function reply(message: RenderReply): void {
  process.send?.(message);
}
