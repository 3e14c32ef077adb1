-- National CATS node schema, spec v0. Money is held in integer minor units.

CREATE TABLE operators (
  tin                text PRIMARY KEY,
  name               text NOT NULL,
  country            text NOT NULL,
  aeo                boolean NOT NULL DEFAULT false,
  status             text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED')),
  released_movements integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE officers (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  offices    text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens, stored as SHA-256 digests only.
CREATE TABLE credentials (
  token_hash   bytea PRIMARY KEY,
  role         text NOT NULL CHECK (role IN ('operator', 'officer')),
  operator_tin text REFERENCES operators (tin) ON DELETE CASCADE,
  officer_id   text REFERENCES officers (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'operator') = (operator_tin IS NOT NULL) AND (role = 'officer') = (officer_id IS NOT NULL))
);
CREATE INDEX credentials_operator ON credentials (operator_tin);
CREATE INDEX credentials_officer ON credentials (officer_id);

CREATE TABLE guarantees (
  grn              text PRIMARY KEY,
  access_code      text NOT NULL,
  holder_tin       text NOT NULL REFERENCES operators (tin),
  type             text NOT NULL,
  reference_amount bigint NOT NULL CHECK (reference_amount >= 0),
  -- Never overdrawn, whatever the concurrency: the reservation UPDATE checks it, this enforces it.
  reserved         bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= reference_amount),
  currency         text NOT NULL,
  status           text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guarantees_holder ON guarantees (holder_tin);

-- Movements declared here (role 'departure') and foreign movements this node
-- sees as office of transit or destination (created from IE050 / IE001).
CREATE TABLE movements (
  mrn                 text PRIMARY KEY,
  role                text NOT NULL CHECK (role IN ('departure', 'transit', 'destination')),
  operator_tin        text,
  lrn                 text,
  -- SHA-256 of the canonical submitted CTD: replay with the same content is idempotent.
  content_hash        bytea,
  state               text NOT NULL,
  ctd                 jsonb NOT NULL,
  departure_office    text NOT NULL,
  transit_offices     text[] NOT NULL,
  destination_office  text NOT NULL,
  crossed_offices     text[] NOT NULL DEFAULT '{}',
  amendments          integer NOT NULL DEFAULT 0,
  risk_class          text,
  risk_reasons        text[],
  guarantee_grn       text,
  amount_to_reserve   bigint,
  reserved_amount     bigint NOT NULL DEFAULT 0,
  currency            text,
  control_conform     boolean,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX movements_operator_lrn ON movements (operator_tin, lrn) WHERE role = 'departure';
CREATE INDEX movements_operator_state ON movements (operator_tin, state, mrn);
CREATE INDEX movements_guarantee_open ON movements (guarantee_grn) WHERE reserved_amount > 0;

-- Transactional outbox of customs-to-customs messages, written with the state change.
CREATE TABLE outbox (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq               bigserial UNIQUE,
  message_type      text NOT NULL,
  recipient_country text NOT NULL,
  recipient_office  text,
  mrn               text NOT NULL,
  body              jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  sent_at           timestamptz
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

-- Identifier sequences; the node takes blocks of INCREMENT values at a time.
CREATE SEQUENCE mrn_sequence INCREMENT BY 64;
CREATE SEQUENCE grn_sequence;
