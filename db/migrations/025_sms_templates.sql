-- The appendix: "短信技术支持会对用户申请的短信签名和短信模板进行审核". A customer
-- operator applies for a signature (with its supporting document, stored in
-- documents) and for templates (content with ${name} variables, category
-- notification or marketing); operations approves or rejects with a reason,
-- by review_due_at (N working days, domain/sms/templates.ts). While an
-- application waits, its review is an open row of deadlines (kind
-- 'sms_review', workflow_id 'sms-review-<id>', no timer behind it): the
-- contract's deadlines, the calendar feed's alarm and the review list show it.
CREATE TABLE sms_signatures (
  id            text PRIMARY KEY,                 -- SG-<uuid>
  contract_id   text NOT NULL REFERENCES contracts (id),
  text          text NOT NULL,                    -- 【…】
  document_id   text NOT NULL REFERENCES documents (id),
  status        text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'approved', 'rejected')),
  reason        text,
  applied_by    text NOT NULL,
  applied_at    timestamptz NOT NULL,
  review_due_at timestamptz NOT NULL,
  review_explanation text NOT NULL,
  reviewed_by   text,
  reviewed_at   timestamptz,
  CHECK ((status = 'applied') = (reviewed_at IS NULL)),
  CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
CREATE INDEX sms_signatures_contract_idx ON sms_signatures (contract_id, applied_at DESC);
CREATE INDEX sms_signatures_pending_idx ON sms_signatures (review_due_at) WHERE status = 'applied';

CREATE TABLE sms_templates (
  id            text PRIMARY KEY,                 -- TP-<uuid>
  contract_id   text NOT NULL REFERENCES contracts (id),
  name          text NOT NULL,
  category      text NOT NULL CHECK (category IN ('notification', 'marketing')),
  content       text NOT NULL,
  variables     text[] NOT NULL DEFAULT '{}',
  url_variables text[] NOT NULL DEFAULT '{}',
  remark        text,
  status        text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'approved', 'rejected')),
  reason        text,
  applied_by    text NOT NULL,
  applied_at    timestamptz NOT NULL,
  review_due_at timestamptz NOT NULL,
  review_explanation text NOT NULL,
  reviewed_by   text,
  reviewed_at   timestamptz,
  CHECK ((status = 'applied') = (reviewed_at IS NULL)),
  CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
CREATE INDEX sms_templates_contract_idx ON sms_templates (contract_id, applied_at DESC);
CREATE INDEX sms_templates_pending_idx ON sms_templates (review_due_at) WHERE status = 'applied';

-- a message sent from a template names it
ALTER TABLE sms_submissions ADD COLUMN template_id text REFERENCES sms_templates (id);

GRANT SELECT, INSERT, UPDATE, DELETE ON sms_signatures, sms_templates TO sms_app;
