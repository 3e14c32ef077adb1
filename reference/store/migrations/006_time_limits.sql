-- Time limits and the unhappy paths of a movement. Dates are business time
-- (reference/domain/business-clock.ts), which may run faster than real time.
ALTER TABLE movements
  ADD COLUMN limit_date timestamptz,
  ADD COLUMN enquiry_opened_at timestamptz,
  ADD COLUMN enquiry_reply_by timestamptz,
  ADD COLUMN enquiry_answer text CHECK (enquiry_answer IN ('arrived', 'not-arrived')),
  ADD COLUMN holder_information text,
  -- A foreign copy: the id of the IE142 enquiry received, answered with IE143.
  ADD COLUMN enquiry_message_id text,
  ADD COLUMN enquiry_answered_at timestamptz,
  -- Where the debt is recovered: the country asked by IE150 (departure's own when null).
  ADD COLUMN recovery_office text,
  ADD COLUMN recovery_started_at timestamptz,
  -- A foreign copy: the id of the IE150 request received, answered with IE152.
  ADD COLUMN recovery_message_id text,
  ADD COLUMN recovery_answered_at timestamptz;

-- The scheduler's queries: released movements past their limit, enquiries past their period.
CREATE INDEX movements_limit_due ON movements (limit_date)
  WHERE role = 'departure' AND state IN ('RELEASED', 'IN_TRANSIT');
CREATE INDEX movements_enquiry_due ON movements (enquiry_reply_by)
  WHERE role = 'departure' AND state = 'ENQUIRY';

-- A reservation settled by recovery: the guarantee paid it (reference amount and reservation both reduced).
ALTER TABLE reservations ADD COLUMN charged boolean NOT NULL DEFAULT false;

-- Non-conform results now leave a movement in DISCREPANCIES until customs decides.
UPDATE movements SET state = 'DISCREPANCIES' WHERE state = 'CONTROLLED' AND control_conform = false;

-- The office speaking for a message whose body names none (IE143, IE152 are sent by
-- the office enquired or asked to recover, not the movement's office of departure).
ALTER TABLE outbox ADD COLUMN sender_office text;
