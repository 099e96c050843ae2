-- Party A's unified social credit code (统一社会信用代码, GB 32100-2015): the
-- organisation's identity, beside its name. A contract's code is copied from
-- its terms (terms.partyA.creditCode) when it is written; contracts stored
-- before have none until an admin sets it (PUT /api/contracts/:id/party-a-credit-code).
-- A frozen organisation is found by it (services/organisations.ts), and
-- customer operators are bound to their organisation by it
-- (users.organisation_credit_code); an operator without one keeps the
-- binding by the organisation's exact name until an admin sets it.
ALTER TABLE contracts ADD COLUMN party_a_credit_code text
  CONSTRAINT contracts_party_a_credit_code_shape CHECK (party_a_credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$');
UPDATE contracts SET party_a_credit_code = terms #>> '{partyA,creditCode}'
 WHERE terms #>> '{partyA,creditCode}' ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$';
CREATE INDEX contracts_party_a_credit_code_idx ON contracts (party_a_credit_code) WHERE party_a_credit_code IS NOT NULL;

ALTER TABLE users ADD COLUMN organisation_credit_code text
  CONSTRAINT users_organisation_credit_code_shape CHECK (organisation_credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$');
