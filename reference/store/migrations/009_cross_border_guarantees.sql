-- A departure movement whose guarantees another country registered waits for
-- that country's answer (IE205) until this business time, then is refused.
ALTER TABLE movements ADD COLUMN guarantee_reply_by timestamptz, ADD COLUMN guarantee_refusal jsonb;
CREATE INDEX movements_awaiting_guarantee ON movements (guarantee_reply_by) WHERE state = 'AWAITING_GUARANTEE';

-- At the guarantee's node: what a movement declared in another country reserved
-- on a guarantee registered here (IE203), held until that country gives it back
-- (IE204 before release, IE209 after) or it pays a recovered debt.
CREATE TABLE guarantee_uses (
  mrn               text NOT NULL,
  grn               text NOT NULL REFERENCES guarantees (grn),
  departure_country text NOT NULL,
  currency          text NOT NULL,
  amount            bigint NOT NULL CHECK (amount >= 0),
  held              boolean NOT NULL,
  charged           boolean NOT NULL DEFAULT false,
  PRIMARY KEY (mrn, grn)
);
CREATE INDEX guarantee_uses_held ON guarantee_uses (grn) WHERE held;
