import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker';

const workflowsDir = path.resolve(__dirname, '../../workflows');

/** Every workflow source file, by its path under workflows/ (the lifecycle's phases and the messages included). */
const workflowFiles = (): string[] =>
  readdirSync(workflowsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();

/** The modules a file imports for their values (type-only imports vanish from the bundle). */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gms)].map((m) => m[1] ?? m[2]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
}

describe('the workflow bundle', () => {
  it('shares every domain module a workflow imports (workflows/shared-modules.ts), so no workflow instantiates its own copy', () => {
    const shared = new Set(valueImports(WORKFLOW_BUNDLE_OPTIONS.preloadModules[0]!));
    const domainDir = path.resolve(__dirname, '../../domain');
    const missing: string[] = [];
    for (const name of workflowFiles().filter((f) => f !== 'shared-modules.ts')) {
      for (const imported of valueImports(path.join(workflowsDir, name))) {
        if (imported.startsWith(domainDir) && !shared.has(imported)) missing.push(`${name} → ${path.relative(domainDir, imported)}`);
      }
    }
    expect(missing).toEqual([]);
    expect(shared.size).toBeGreaterThan(5);
  });

  it('calls patched() only in workflows/versions.ts, and the lifecycle decides its version before its first await', () => {
    const callers = workflowFiles().filter((f) => /\b(patched|deprecatePatch)\(/.test(readFileSync(path.join(workflowsDir, f), 'utf8')));
    expect(callers).toEqual(['versions.ts']);
    const lifecycle = readFileSync(path.join(workflowsDir, 'contract-lifecycle.ts'), 'utf8');
    const body = lifecycle.slice(lifecycle.indexOf('export async function contractLifecycle('));
    const decided = body.indexOf('lifecycleVersion()');
    expect(decided).toBeGreaterThan(0);
    expect(decided).toBeLessThan(body.indexOf('await '));
  });

  it('preloads the shared modules in the bundle the workers run', () => {
    const code = readFileSync(inject('workflowBundlePath'), 'utf8');
    const preload = code.slice(code.indexOf('exports.preloadModules = function preloadModules()'));
    expect(preload.slice(0, 400)).toContain('shared-modules.ts');
  });
});
