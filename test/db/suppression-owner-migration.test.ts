/**
 * Migration 028 keys the suppression list (Art.4 §6) by Party A's credit
 * code. A database migrated up to the migration before it holds suppressions
 * keyed by name only; migrating on gives each row the code of the contract
 * it was recorded under (when that contract's Party A bears the row's name),
 * else the one code the contracts of that name carry; an ambiguous name
 * keeps no code, and of two rows of one code for the same number only the
 * earliest takes it. Then the look-up (db/sms.ts findSuppressed) follows the
 * code, and the name where a row or a contract carries none.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { completeCreditCode } from '../../domain/credit-code';
import { listMigrations, migrate } from '../../db/migrate';
import { createDb, type Db } from '../../db/pool';
import { findSuppressed } from '../../db/sms';
import { withAdminClient } from '../support/postgres';

const VERSION = 28;
/** Example codes (valid check characters, no real organisation meant). */
const K_ONE = completeCreditCode('1115010052520001');
const K_SHARED_A = completeCreditCode('1115010052520002');
const K_SHARED_B = completeCreditCode('1115010052520003');
const K_RENAMED = completeCreditCode('1115010052520004');
const R1 = '+8613800000061';
const R2 = '+8613800000062';
const R3 = '+8613800000063';
const R4 = '+8613800000064';

let db: Db;
let name: string;
let before: string;

beforeAll(async () => {
  const adminUrl = inject('adminUrl');
  name = `sms_contracts_test_m028_${randomBytes(5).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  db = createDb({ connectionString: url.toString(), max: 2 });
  // the migrations before this one, in a directory of their own
  before = mkdtempSync(join(tmpdir(), 'migrations-before-028-'));
  for (const migration of listMigrations().filter((m) => m.version < VERSION)) copyFileSync(join(__dirname, '../../db/migrations', migration.name), join(before, migration.name));
  await migrate(db, before);
});

afterAll(async () => {
  await db?.close();
  if (name) await withAdminClient(inject('adminUrl'), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  if (before) rmSync(before, { recursive: true, force: true });
});

describe('migration 028: suppressions keyed by the credit code', () => {
  it('backfills the code where it is unambiguous and keeps the name elsewhere; the look-up follows the code', async () => {
    await db.query(`INSERT INTO users (id, name, role) VALUES ('u-sales', '销售', 'sales')`);
    const contract = (id: string, partyA: string, code: string | null) =>
      db.query(
        `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_a_credit_code, party_b_name, workflow_id)
         VALUES ($1, $1, 'u-sales', 'active', '{}', $2, $3, '中国联合网络通信有限公司内蒙古自治区分公司', 'contract-' || $1)`,
        [id, partyA, code],
      );
    await contract('c-one', '甲单位', K_ONE);
    await contract('c-shared-a', '同名单位', K_SHARED_A);
    await contract('c-shared-b', '同名单位', K_SHARED_B);
    await contract('c-nocode', '旧单位', null);
    await contract('c-old-name', '改名前单位', K_RENAMED);
    await contract('c-new-name', '改名后单位', K_RENAMED);
    const suppression = (customer: string, recipient: string, contractId: string | null, createdAt: string) =>
      db.query(
        `INSERT INTO sms_suppressions (customer, recipient, source, contract_id, detail, recorded_by, created_at) VALUES ($1, $2, 'mo_reply', $3, 'td', 'system:sms', $4)`,
        [customer, recipient, contractId, createdAt],
      );
    await suppression('甲单位', R1, 'c-one', '2025-01-01T00:00:00Z'); // the contract it was recorded under
    await suppression('甲单位', R2, null, '2025-01-01T00:00:00Z'); // the one code of the name
    await suppression('同名单位', R1, null, '2025-01-01T00:00:00Z'); // two codes carry the name: ambiguous
    await suppression('同名单位', R2, 'c-shared-b', '2025-01-01T00:00:00Z'); // ambiguous name, but recorded under a contract of it
    await suppression('旧单位', R1, 'c-nocode', '2025-01-01T00:00:00Z'); // no code anywhere
    await suppression('改名前单位', R3, 'c-old-name', '2025-01-01T00:00:00Z'); // one code, two names, the same number:
    await suppression('改名后单位', R3, 'c-new-name', '2025-02-01T00:00:00Z'); //   the earlier row takes the code
    await suppression('改名后单位', R4, 'c-new-name', '2025-02-01T00:00:00Z');
    await suppression('中国联通', R1, 'c-one', '2025-01-01T00:00:00Z'); // Party B's own list, recorded under a customer's contract

    await migrate(db);

    const { rows } = await db.query('SELECT customer, recipient, credit_code FROM sms_suppressions ORDER BY customer, recipient');
    const codeOf = (customer: string, recipient: string) => rows.find((r) => r.customer === customer && r.recipient === recipient)?.credit_code;
    expect(rows).toHaveLength(9);
    expect(codeOf('甲单位', R1)).toBe(K_ONE);
    expect(codeOf('甲单位', R2)).toBe(K_ONE);
    expect(codeOf('同名单位', R1)).toBeNull();
    expect(codeOf('同名单位', R2)).toBe(K_SHARED_B);
    expect(codeOf('旧单位', R1)).toBeNull();
    expect(codeOf('改名前单位', R3)).toBe(K_RENAMED);
    expect(codeOf('改名后单位', R3)).toBeNull();
    expect(codeOf('改名后单位', R4)).toBe(K_RENAMED);
    expect(codeOf('中国联通', R1)).toBeNull();

    const found = async (owner: { creditCode: string | null; name: string }) => [...(await findSuppressed(db, owner, [R1, R2, R3, R4]))].sort();
    // by code whatever the name (a third name of the renamed organisation), plus the rows of its name that carry no code
    expect(await found({ creditCode: K_RENAMED, name: '第三个名称' })).toEqual([R3, R4]);
    expect(await found({ creditCode: K_RENAMED, name: '改名后单位' })).toEqual([R3, R4]);
    // the two organisations of one name: the ambiguous row applies to both, the attributed one to its own only
    expect(await found({ creditCode: K_SHARED_A, name: '同名单位' })).toEqual([R1]);
    expect(await found({ creditCode: K_SHARED_B, name: '同名单位' })).toEqual([R1, R2]);
    // a contract without a code: every row of its exact name
    expect(await found({ creditCode: null, name: '同名单位' })).toEqual([R1, R2]);
    expect(await found({ creditCode: null, name: '旧单位' })).toEqual([R1]);
    // Party B's own list stays Party B's
    expect(await found({ creditCode: null, name: '中国联通' })).toEqual([R1]);
    expect(await found({ creditCode: K_ONE, name: '甲单位' })).toEqual([R1, R2]);

    // one row per number and code, and per number and name for the rows without a code
    await expect(db.query(`INSERT INTO sms_suppressions (customer, credit_code, recipient, source, recorded_by) VALUES ('又一个名称', $1, $2, 'opt_out', 'x')`, [K_ONE, R1])).rejects.toThrow(/duplicate key/);
    await expect(db.query(`INSERT INTO sms_suppressions (customer, recipient, source, recorded_by) VALUES ('旧单位', $1, 'opt_out', 'x')`, [R1])).rejects.toThrow(/duplicate key/);
  });
});
