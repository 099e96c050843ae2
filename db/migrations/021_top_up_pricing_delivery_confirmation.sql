-- Art.3 §5: how a top-up was priced. The contract's price list (terms.topUps,
-- or for contracts stored before price lists the yearly fee pro rata) gives the
-- list price; finance or an admin may invoice another price only with a reason.
-- Rows from before: no list price, no package, no reason.
ALTER TABLE top_ups ADD COLUMN package text;
ALTER TABLE top_ups ADD COLUMN list_price_fen bigint CHECK (list_price_fen IS NULL OR list_price_fen > 0);
ALTER TABLE top_ups ADD COLUMN price_reason text;
ALTER TABLE top_ups ADD CONSTRAINT top_ups_override_has_reason
  CHECK (list_price_fen IS NULL OR price_fen = list_price_fen OR price_reason IS NOT NULL);

-- Art.3 §3: Party A's confirmation of the delivery form (业务受理单), one per
-- contract, recorded by the lifecycle (workflows/lifecycle/delivery.ts). The
-- form itself is a document (kind delivery_confirmation), its deadline a row
-- of deadlines (kind delivery_confirmation), a scan of the signed form a
-- document of its own (kind delivery_confirmation_scan).
CREATE TABLE delivery_confirmations (
  contract_id       text PRIMARY KEY REFERENCES contracts (id),
  form_document_id  text,
  delivered_at      timestamptz NOT NULL,
  due_at            timestamptz NOT NULL,
  signer            text,
  title             text,
  sealed            boolean NOT NULL,
  confirmed_at      timestamptz NOT NULL,
  scan_document_id  text,
  on_time           boolean NOT NULL,
  recorded_by       text NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (signer IS NOT NULL OR scan_document_id IS NOT NULL)
);
