-- Incidents en route (IE180): each recorded on the movement; those customs at
-- departure has not decided on yet hold back its write-off.
ALTER TABLE movements
  ADD COLUMN incidents jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN open_incidents integer NOT NULL DEFAULT 0;
