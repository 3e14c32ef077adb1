-- Guarantees carry the level customs set at approval (percent of the amount due
-- reserved per movement), their guarantor, and, for an individual guarantee,
-- the one movement it serves.
ALTER TABLE guarantees
  ADD COLUMN level smallint CHECK (level IN (100, 50, 25)),
  ADD COLUMN guarantor_kind text CHECK (guarantor_kind IN ('bank', 'insurer')),
  ADD COLUMN guarantor_tin text,
  ADD COLUMN guarantor_name text,
  ADD COLUMN used_by text;
UPDATE guarantees SET level = 100 WHERE status <> 'PENDING';
CREATE INDEX guarantees_guarantor ON guarantees (guarantor_tin);

-- One row per guarantee (GRN) a departure movement's CTD references: the amount
-- planned at lodging at that guarantee's level, held from release to write-off.
CREATE TABLE reservations (
  mrn       text NOT NULL REFERENCES movements (mrn) ON DELETE CASCADE,
  grn       text NOT NULL,
  position  integer NOT NULL,
  currency  text NOT NULL,
  amount    bigint NOT NULL CHECK (amount >= 0),
  held      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (mrn, grn)
);
CREATE INDEX reservations_held ON reservations (grn) WHERE held;

INSERT INTO reservations (mrn, grn, position, currency, amount, held)
SELECT mrn, guarantee_grn, 0, currency,
       CASE WHEN reserved_amount > 0 THEN reserved_amount ELSE coalesce(amount_to_reserve, 0) END, reserved_amount > 0
  FROM movements WHERE role = 'departure' AND guarantee_grn IS NOT NULL AND currency IS NOT NULL;

DROP INDEX IF EXISTS movements_guarantee_open;
ALTER TABLE movements DROP COLUMN guarantee_grn, DROP COLUMN amount_to_reserve, DROP COLUMN reserved_amount,
  DROP COLUMN currency;
