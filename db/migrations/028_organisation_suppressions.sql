-- Art.4 §6: a number that opted out or complained is never sent to again by
-- this customer. The customer is Party A's organisation, and the organisation
-- is its unified social credit code (migration 020), not its name: a renamed
-- organisation keeps its suppression list, and two organisations of the same
-- name do not share one. A suppression carries the code of the contract it
-- was recorded under; one without (a contract stored without a code, Party
-- B's own list) stays keyed by the exact name. Which rows apply to a
-- contract (db/sms.ts findSuppressed): those of its code, and those of its
-- exact name where either carries no code (the rule a freeze binds by).
ALTER TABLE sms_suppressions ADD COLUMN credit_code text
  CONSTRAINT sms_suppressions_credit_code_shape CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$');

-- The rows recorded before: the code of the contract a row was recorded
-- under when that contract's Party A bears the row's name, else the one code
-- the contracts of that name carry; a name carried by contracts of two codes
-- or more is ambiguous and the row keeps no code (it goes on applying by the
-- name). Where two names of one code suppress the same number, the earliest
-- row takes the code and the others keep the name.
WITH attributed AS (
  SELECT s.customer, s.recipient, s.created_at,
         COALESCE(
           (SELECT c.party_a_credit_code FROM contracts c
             WHERE c.id = s.contract_id AND c.party_a_name = s.customer AND c.party_a_credit_code IS NOT NULL),
           (SELECT min(c.party_a_credit_code) FROM contracts c
             WHERE c.party_a_name = s.customer AND c.party_a_credit_code IS NOT NULL
            HAVING count(DISTINCT c.party_a_credit_code) = 1)
         ) AS code
    FROM sms_suppressions s
), ranked AS (
  SELECT customer, recipient, code, row_number() OVER (PARTITION BY code, recipient ORDER BY created_at, customer) AS n
    FROM attributed
   WHERE code IS NOT NULL
)
UPDATE sms_suppressions s SET credit_code = r.code
  FROM ranked r
 WHERE r.n = 1 AND s.customer = r.customer AND s.recipient = r.recipient;

-- One row per number and organisation: per code, and per name for the rows without one.
ALTER TABLE sms_suppressions DROP CONSTRAINT sms_suppressions_pkey;
CREATE UNIQUE INDEX sms_suppressions_code_key ON sms_suppressions (credit_code, recipient) WHERE credit_code IS NOT NULL;
CREATE UNIQUE INDEX sms_suppressions_name_key ON sms_suppressions (customer, recipient) WHERE credit_code IS NULL;
-- the look-up by name, whatever the code (a contract stored without one)
CREATE INDEX sms_suppressions_customer_idx ON sms_suppressions (customer, recipient);
