-- Messages ICE refused for good (schema, recipient, sender rules): kept for inspection with
-- ICE's answer, never sent again, and no longer counted as waiting to be sent.
ALTER TABLE outbox ADD COLUMN refused_at timestamptz, ADD COLUMN refusal jsonb;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL AND refused_at IS NULL;
CREATE INDEX outbox_refused ON outbox (seq) WHERE refused_at IS NOT NULL;
