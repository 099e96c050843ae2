/**
 * Reads the product's imports with the TypeScript parser and checks them
 * against the layers of docs/architecture.md. Pure over a map of files, so
 * the rules themselves are tested on small made-up trees too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export type SourceFiles = Record<string, string>;
export type ImportEdge = { from: string; to: string; typeOnly: boolean };

/** The server's layers, lowest first, and what each may import (besides itself and npm packages). */
export const LAYERS: Record<string, readonly string[]> = {
  domain: [],
  db: ['domain'],
  workflows: ['domain'],
  platform: ['domain'],
  pdf: ['domain', 'platform'],
  billing: ['domain', 'platform'],
  webhooks: ['domain', 'db', 'platform'],
  sms: ['domain', 'db', 'platform', 'workflows'],
  services: ['domain', 'db', 'workflows', 'platform', 'pdf', 'sms', 'billing', 'webhooks'],
  activities: ['domain', 'db', 'workflows', 'platform', 'pdf', 'sms', 'billing', 'webhooks', 'services'],
  api: ['domain', 'db', 'workflows', 'platform', 'pdf', 'sms', 'billing', 'webhooks', 'services'],
  worker: ['domain', 'db', 'workflows', 'platform', 'pdf', 'sms', 'billing', 'webhooks', 'services', 'activities'],
  tools: ['domain', 'db', 'platform', 'sms'],
  scripts: ['domain', 'db', 'workflows', 'platform', 'pdf', 'sms', 'billing', 'webhooks', 'services', 'activities', 'worker', 'tools'],
};

/** The one workflow file that may name the activities (type-only): it builds the activity proxies every workflow uses. */
export const WORKFLOW_ACTIVITY_MODULE = 'workflows/activity-proxies.ts';
/** The one module that starts workflows (and creates schedules). */
export const STARTER_MODULE = 'services/workflow-starts.ts';
/** SQL written outside db/ on purpose: the health check's probe. */
const SQL_ALLOWED: Record<string, RegExp> = { 'api/routes/health.ts': /^SELECT 1$/ };

const layerOf = (file: string) => file.split('/')[0]!;

export function readSources(root: string, dirs: readonly string[]): SourceFiles {
  const files: SourceFiles = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return files;
}

const parse = (file: string, text: string) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);

/** Relative imports and re-exports, resolved to files of the map; `import type` (or all-type specifiers) marked. */
export function importsOf(files: SourceFiles): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [file, text] of Object.entries(files)) {
    const source = parse(file, text);
    const add = (specifier: string, typeOnly: boolean) => {
      if (!specifier.startsWith('.')) return;
      const base = resolve('/', dirname(file), specifier).slice(1);
      const target = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((candidate) => candidate in files);
      if (target) edges.push({ from: file, to: target, typeOnly });
    };
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const clause = statement.importClause;
        const bindings = clause?.namedBindings;
        const allTypes = Boolean(clause && !clause.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly));
        add(statement.moduleSpecifier.text, Boolean(clause?.isTypeOnly) || allTypes);
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        add(statement.moduleSpecifier.text, statement.isTypeOnly);
      }
    }
    // require() and import() of relative modules count as runtime imports
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
        const callee = node.expression;
        if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) add((node.arguments[0] as ts.StringLiteral).text, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** Imports that break the layer table, the workflow sandbox's rule, or reach into api/ from outside. */
export function layerViolations(files: SourceFiles): string[] {
  const problems: string[] = [];
  for (const edge of importsOf(files)) {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (from === to) continue;
    const allowed = LAYERS[from];
    if (!allowed) continue;
    if (from === 'workflows' && to === 'activities' && edge.typeOnly && edge.from === WORKFLOW_ACTIVITY_MODULE) continue;
    if (!allowed.includes(to)) problems.push(`${edge.from} imports ${edge.to}${edge.typeOnly ? ' (type only)' : ''}: ${from}/ may import only ${allowed.join(', ') || 'nothing outside itself'}`);
  }
  return problems;
}

/** Import cycles through runtime imports, each as its files. */
export function importCycles(files: SourceFiles): string[][] {
  const graph = new Map<string, string[]>();
  for (const file of Object.keys(files)) graph.set(file, []);
  for (const edge of importsOf(files)) if (!edge.typeOnly) graph.get(edge.from)!.push(edge.to);
  // Tarjan's strongly connected components
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)!) {
      if (!order.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!order.has(file)) connect(file);
  return cycles;
}

const SQL = /^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\(|CREATE\s+(TABLE|DATABASE|INDEX|ROLE)\s|ALTER\s+(TABLE|ROLE)\s|DROP\s+(TABLE|DATABASE)\s|TRUNCATE\s)/;

/** String literals that are SQL statements, in files outside db/. */
export function sqlOutsideDb(files: SourceFiles): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (layerOf(file) === 'db') continue;
    const visit = (node: ts.Node) => {
      const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : ts.isTemplateExpression(node) ? node.head.text : null;
      if (literal !== null && SQL.test(literal) && !SQL_ALLOWED[file]?.test(literal.trim())) {
        found.push(`${file}:${parse(file, text).getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${literal.trim().split('\n')[0]!.slice(0, 60)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file, text));
  }
  return found;
}

const START = /\.(workflow\.(start|signalWithStart|execute|startUpdateWithStart|executeUpdateWithStart)|schedule\.create)\s*\(|\b(startChild|executeChild)\s*\(/;

/** Places that start a workflow (or create a schedule) outside the starter module. */
export function workflowStartsOutsideStarter(files: SourceFiles): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (file === STARTER_MODULE) continue;
    text.split('\n').forEach((line, i) => {
      if (START.test(line) && !line.trim().startsWith('//') && !line.trim().startsWith('*')) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}
