import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { temporalExecutable } from '../../platform/temporal-binaries';
import type { smsRulesWorkflow } from '../sms/fixtures/sms-rules-workflow';

const root = path.resolve(__dirname, '../..');
const workflowsPath = path.resolve(__dirname, '../sms/fixtures/sms-rules-workflow.ts');

describe('SMS rules outside Node', () => {
  it('bundle into the Temporal workflow sandbox, keyword list included and no Node built-ins', async () => {
    // The bundler refuses workflow code that imports a Node built-in (fs, path, …).
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      logger: new DefaultLogger('WARN'),
    });
    expect(code).toContain('smsRulesWorkflow');
    expect(code).toContain('一元夺宝'); // forbidden-keywords.v1.json travels with the code
    expect(code).not.toMatch(/require\(["'](node:)?(fs|net|http|buffer)["']\)/);
  }, 60_000);

  it('run inside the Temporal workflow sandbox', async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    } catch {
      // already installed in this process
    }
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalExecutable('temporal-test-server') } });
    try {
      const taskQueue = 'sms-rules';
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath });
      const result = await worker.runUntil(
        env.client.workflow.execute<typeof smsRulesWorkflow>('smsRulesWorkflow', {
          taskQueue,
          workflowId: 'sms-rules-1',
          args: [{ content: '【内蒙古自治区地震局】科普馆免费开放，欢迎参观^_^', recipient: '＋８６ １３８ ００００ ０００１', reply: 'ＴＤ', nowIso: '2024-05-14T12:30:00Z' }],
        }),
      );
      expect(result).toEqual({
        ok: false,
        content: '【内蒙古自治区地震局】科普馆免费开放，欢迎参观^_^回TD退订',
        codes: ['UNSUPPORTED_SYMBOL'],
        parts: 1,
        recipient: { ok: true, e164: '+8613800000001' },
        optOut: true,
        sendAt: '2024-05-15T01:00:00.000Z',
      });
    } finally {
      await env.teardown();
    }
  }, 120_000);

  it('bundle for the browser console', async () => {
    const output = await build({
      root,
      logLevel: 'silent',
      configFile: false,
      build: {
        write: false,
        minify: false,
        lib: { entry: path.resolve(root, 'domain/sms/index.ts'), formats: ['es'], fileName: 'sms-rules' },
      },
    });
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => ('output' in result ? result.output : []));
    const code = chunks.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
    expect(code).toContain('lintMessage');
    expect(code).toContain('一元夺宝');
    expect(code).not.toMatch(/from ["'](node:)?(fs|net|http|buffer|events)["']/);
  }, 60_000);
});
