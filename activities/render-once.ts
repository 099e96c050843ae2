import { storeDocument, findDocumentMeta, type DocumentMeta } from '../db/documents';
import type { Db } from '../db/pool';
import { sha256Hex } from '../pdf';

/**
 * Renders and stores a document exactly once per id: a retried activity finds
 * the stored one and renders nothing.
 */
export async function renderOnce(
  db: Db,
  doc: { id: string; contractId: string; kind: string; title: string },
  render: () => Promise<Buffer>,
): Promise<DocumentMeta> {
  const existing = await findDocumentMeta(db, doc.id);
  if (existing) return existing;
  const content = await render();
  return storeDocument(db, { ...doc, sha256: sha256Hex(content), content });
}
