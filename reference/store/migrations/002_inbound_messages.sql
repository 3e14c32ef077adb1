-- C2C messages received through ICE, recorded in the transaction that applies
-- them: a redelivered message id is recognised and applied only once.
CREATE TABLE inbound_messages (
  message_id   text PRIMARY KEY,
  message_type text NOT NULL,
  mrn          text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
