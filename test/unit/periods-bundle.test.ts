import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const workflowsPath = path.resolve(__dirname, '../support/fixtures/periods-workflow.ts');

describe('deadline code in the Temporal workflow sandbox', () => {
  it('bundles a workflow importing computeDeadline, holiday data included and no Node built-ins', async () => {
    // The bundler refuses any workflow code that imports a Node built-in (fs, path, …).
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    expect(code).toContain('computeDeadlineWorkflow');
    expect(code).toContain('2024-10-12'); // a make-up working day from chinese-days.json
    expect(code).not.toMatch(/require\(["']fs["']\)/);
  }, 30_000);
});
