-- Party B's own SMS (every message the system sends goes through one
-- dispatcher): lifecycle notices to the parties' contact persons are
-- submissions of the contract like a customer's, flagged `system`: signed
-- 【中国联通】, not debited from the quota, sent whatever the contract's status,
-- and left out of the customer's message list and ledger (发送信息对账).
ALTER TABLE sms_submissions ADD COLUMN system boolean NOT NULL DEFAULT false;
ALTER TABLE sms_messages ADD COLUMN system boolean NOT NULL DEFAULT false;
