/**
 * Rendered documents (PDFs) with their SHA-256, one row per document id.
 */
import type { Queryable } from './pool';
import { rowReader } from './rows';

export type DocumentMeta = { id: string; contractId: string; kind: string; title: string; sha256: string; sizeBytes: number; createdAt: string };

/** Stores the document unless one with this id exists; returns what is stored either way. */
export async function storeDocument(
  db: Queryable,
  doc: { id: string; contractId: string; kind: string; title: string; sha256: string; content: Buffer },
): Promise<DocumentMeta> {
  await db.query(
    `INSERT INTO documents (id, contract_id, kind, title, sha256, size_bytes, content)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [doc.id, doc.contractId, doc.kind, doc.title, doc.sha256, doc.content.length, doc.content],
  );
  const stored = await findDocumentMeta(db, doc.id);
  if (!stored) throw new Error(`document ${doc.id} vanished after insert`);
  return stored;
}

const META = rowReader<DocumentMeta>({ id: true, contractId: true, kind: true, title: true, sha256: true, sizeBytes: true, createdAt: true });

export async function findDocumentMeta(db: Queryable, id: string): Promise<DocumentMeta | null> {
  const { rows } = await db.query(`SELECT ${META.columns} FROM documents WHERE id = $1`, [id]);
  return rows[0] ? META.read(rows[0]) : null;
}

export async function listDocuments(db: Queryable, contractId: string): Promise<DocumentMeta[]> {
  const { rows } = await db.query(`SELECT ${META.columns} FROM documents WHERE contract_id = $1 ORDER BY created_at, id`, [contractId]);
  return rows.map(META.read);
}

export async function readDocumentContent(db: Queryable, contractId: string, id: string): Promise<(DocumentMeta & { content: Buffer }) | null> {
  const { rows } = await db.query(`SELECT ${META.columns}, content FROM documents WHERE id = $1 AND contract_id = $2`, [id, contractId]);
  return rows[0] ? { ...META.read(rows[0]), content: rows[0].content as Buffer } : null;
}
