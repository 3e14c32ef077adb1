-- Officers of departure poll for movements awaiting their decision; a partial
-- index keeps that query off the full table without slowing other inserts.
CREATE INDEX movements_under_control ON movements (mrn) WHERE state = 'UNDER_CONTROL';
