-- The hub's PostgreSQL store. Idempotent: run on every start, serialised
-- by an advisory lock so several hub processes may start together.
BEGIN;
SELECT pg_advisory_xact_lock(74708470);
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS tongtin_hub;
SET LOCAL search_path = tongtin_hub, public;

CREATE TABLE IF NOT EXISTS hub_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO hub_meta (key, value) VALUES ('store_version', '1') ON CONFLICT (key) DO NOTHING;

CREATE TABLE IF NOT EXISTS orgs (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  model_version integer NOT NULL DEFAULT 0,
  last_seq      bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Hub-wide administrators: admin of every organisation.
CREATE TABLE IF NOT EXISTS superusers (
  name          text PRIMARY KEY,
  password_hash text NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
  org_id        bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name          text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  PRIMARY KEY (org_id, name)
);

-- Sessions by the SHA-256 of their token; expires_at in Unix milliseconds.
CREATE TABLE IF NOT EXISTS sessions (
  token_hash text PRIMARY KEY,
  org_id     bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  user_name  text NOT NULL,
  role       text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);

-- Ops accepted (idempotency of pushes), with the log position after them.
CREATE TABLE IF NOT EXISTS ops (
  org_id bigint NOT NULL,
  op_id  text NOT NULL,
  seq    bigint NOT NULL,
  PRIMARY KEY (org_id, op_id)
);

-- The log each organisation's clients pull: one sync::Entry (JSON) per seq.
CREATE TABLE IF NOT EXISTS log (
  org_id bigint NOT NULL,
  seq    bigint NOT NULL,
  op_id  text NOT NULL,
  entry  text NOT NULL,
  PRIMARY KEY (org_id, seq)
);

-- Each feature's sync::FeatureState, tombstones included, and for QGIS its
-- decoded attributes and its geometry (see the org_<code> views).
CREATE TABLE IF NOT EXISTS features (
  org_id     bigint NOT NULL,
  layer      text NOT NULL,
  uid        text NOT NULL,
  live       boolean NOT NULL,
  state      jsonb NOT NULL,
  attributes jsonb NOT NULL,
  geom       geometry,
  PRIMARY KEY (org_id, layer, uid)
);
CREATE INDEX IF NOT EXISTS features_geom ON features USING gist (geom);

-- The fields seen per layer (kind: number, text or geometry): the columns of its view.
CREATE TABLE IF NOT EXISTS layer_fields (
  org_id bigint NOT NULL,
  layer  text NOT NULL,
  field  text NOT NULL,
  kind   text NOT NULL,
  PRIMARY KEY (org_id, layer, field)
);

CREATE TABLE IF NOT EXISTS conflicts (
  org_id      bigint NOT NULL,
  id          text NOT NULL,
  n           bigserial,
  layer       text NOT NULL,
  uid         text NOT NULL,
  conflict    text NOT NULL,
  resolved_by text,
  PRIMARY KEY (org_id, id)
);

-- Attachments by SHA-256, uploaded in chunks (resumable).
CREATE TABLE IF NOT EXISTS blobs (
  org_id   bigint NOT NULL,
  sha256   text NOT NULL,
  total    bigint NOT NULL,
  received bigint NOT NULL,
  complete boolean NOT NULL DEFAULT false,
  PRIMARY KEY (org_id, sha256)
);
CREATE TABLE IF NOT EXISTS blob_chunks (
  org_id bigint NOT NULL,
  sha256 text NOT NULL,
  "offset" bigint NOT NULL,
  data   bytea NOT NULL,
  PRIMARY KEY (org_id, sha256, "offset")
);
COMMIT;
