/**
 * The published list of webhook events (domain/webhook-events.ts) against
 * the code that emits them: every audit event type written anywhere in the
 * sources is published, and every published type is written somewhere. The
 * emitted types are read from the sources themselves (string literals where
 * an audit event's type is set), plus the few the workflows build from a
 * status, counted here by hand from the workflow files. And docs/webhooks.md
 * shows every published event with its example, as generated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleDelivery, isKnownEventPattern, WEBHOOK_EVENT_FAMILIES, WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from '../../domain/webhook-events';
import { renderedDoc, WEBHOOK_DOC } from '../../scripts/webhook-events-doc';

const ROOT = resolve(__dirname, '../..');
const SOURCES = ['activities', 'api', 'db', 'services', 'sms', 'webhooks', 'workflows'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Dotted string literals where an audit event's type is set: `type: …`, `auditType: …`, an `audit('…'` helper. */
function auditTypesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:type|auditType)\s*:\s*([^,}\n]+)/g)) {
    for (const literal of m[1]!.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.push(literal[1]!);
  }
  for (const m of text.matchAll(/\baudit\(\s*'([a-z_]+\.[a-z_]+)'/g)) found.push(m[1]!);
  return found;
}

/**
 * Types built at run time, by hand from the workflows: `contract.${to}` of
 * changeStatus (the lifecycle's phases, workflows/lifecycle/: lapsed, expired, frozen),
 * `case.outage_${key}` of outage-notice.ts's caseEvent (held, released,
 * unsent_alert, late) and `outage.${to}` with to notified or notified_late.
 */
const BUILT_AT_RUN_TIME = [
  'contract.lapsed', 'contract.expired', 'contract.frozen',
  'case.outage_held', 'case.outage_released', 'case.outage_unsent_alert', 'case.outage_late',
  'outage.notified', 'outage.notified_late',
];

describe('the published webhook events', () => {
  const emitted = new Set<string>();
  for (const dir of SOURCES) for (const file of sourceFiles(dir)) for (const type of auditTypesIn(readFileSync(join(ROOT, file), 'utf8'))) emitted.add(type);
  for (const type of BUILT_AT_RUN_TIME) emitted.add(type);

  it('publishes every audit event type the code writes', () => {
    // the reading above finds the literal types (more than 50 of them)
    expect(emitted.size).toBeGreaterThan(50);
    expect([...emitted].filter((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)).sort()).toEqual([]);
  });

  it('publishes nothing the code never writes, and each type once', () => {
    expect(WEBHOOK_EVENT_TYPES.filter((type) => !emitted.has(type)).sort()).toEqual([]);
    expect(new Set(WEBHOOK_EVENT_TYPES).size).toBe(WEBHOOK_EVENT_TYPES.length);
  });

  it('the built-at-run-time names really are built in the workflows', () => {
    const lifecycle = ['workflows/contract-lifecycle.ts', ...sourceFiles('workflows/lifecycle')].map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');
    for (const status of ['lapsed', 'expired', 'frozen']) expect(lifecycle).toMatch(new RegExp(`to: '${status}'`));
    // the outage's case moves and its own steps, as both outage workflows build them (workflows/outage-rules.ts)
    const outage = readFileSync(join(ROOT, 'workflows/outage-rules.ts'), 'utf8');
    expect(outage).toContain('audit: { type: `case.outage_${type}`');
    for (const step of ['held', 'released', 'unsent_alert', 'late']) expect(outage).toMatch(new RegExp(`caseStep\\((outageId|input\\.outageId), '${step}'`));
    expect(outage).toContain('auditType: `outage.${to}`');
    expect(readFileSync(join(ROOT, 'workflows/outage-notice.ts'), 'utf8')).toMatch(/onTime \? 'notified' : 'notified_late'/);
  });

  it('accepts published types, their families and *, and nothing else', () => {
    for (const type of WEBHOOK_EVENT_TYPES) expect(isKnownEventPattern(type)).toBe(true);
    for (const family of WEBHOOK_EVENT_FAMILIES) expect(isKnownEventPattern(`${family}.*`)).toBe(true);
    expect(isKnownEventPattern('*')).toBe(true);
    for (const name of ['nonsense.event', 'nonsense.*', 'invoice.paid', 'contract', 'contract.activated.*', '']) expect(isKnownEventPattern(name), name).toBe(false);
  });

  it('docs/webhooks.md shows every event with its example delivery, as generated from the list', () => {
    const doc = readFileSync(WEBHOOK_DOC, 'utf8');
    expect(renderedDoc(doc), 'run: npx tsx scripts/webhook-events-doc.ts').toBe(doc);
    for (const spec of WEBHOOK_EVENTS) {
      const section = doc.split(`### \`${spec.type}\``)[1]?.split('### ')[0];
      expect(section, spec.type).toBeDefined();
      const json = /```json\n([\s\S]*?)\n```/.exec(section!)![1]!;
      expect(JSON.parse(json)).toEqual(exampleDelivery(spec));
      expect(JSON.parse(json).type).toBe(spec.type);
    }
  });
});
