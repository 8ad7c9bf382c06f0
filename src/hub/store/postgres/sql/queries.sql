-- The PostgreSQL store's queries, by name (see store::Queries). Every
-- connection has search_path = tongtin_hub, public.

-- name: add_org
INSERT INTO orgs (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING

-- name: orgs
SELECT code, name, model_version, last_seq FROM orgs ORDER BY code

-- name: org_id
SELECT id FROM orgs WHERE code = $1

-- name: lock_org
SELECT id, model_version, last_seq FROM orgs WHERE code = $1 FOR UPDATE

-- name: org_position
SELECT id, model_version, last_seq FROM orgs WHERE code = $1

-- name: set_org_position
UPDATE orgs SET last_seq = $2, model_version = $3 WHERE id = $1

-- name: status
SELECT model_version, last_seq FROM orgs WHERE code = $1

-- name: add_user
INSERT INTO users (org_id, name, password_hash, role) VALUES ($1, $2, $3, $4)
ON CONFLICT (org_id, name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role

-- name: users
SELECT o.code, u.name, u.role FROM users u JOIN orgs o ON o.id = u.org_id ORDER BY o.code, u.name

-- name: remove_user
DELETE FROM users WHERE org_id = $1 AND name = $2

-- name: remove_sessions
DELETE FROM sessions WHERE org_id = $1 AND user_name = $2

-- name: add_superuser
INSERT INTO superusers (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING

-- name: has_superuser
SELECT EXISTS (SELECT 1 FROM superusers)

-- name: member_credentials
SELECT u.password_hash, u.role FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.code = $1 AND u.name = $2

-- name: superuser_credentials
SELECT s.password_hash FROM superusers s WHERE s.name = $2 AND EXISTS (SELECT 1 FROM orgs WHERE code = $1)

-- name: purge_sessions
DELETE FROM sessions WHERE expires_at < $1

-- name: create_session
INSERT INTO sessions (token_hash, org_id, user_name, role, expires_at)
SELECT $1, id, $3, $4, $5 FROM orgs WHERE code = $2

-- name: session
SELECT o.code, s.user_name, s.role, s.expires_at FROM sessions s JOIN orgs o ON o.id = s.org_id WHERE s.token_hash = $1

-- name: known_ops
SELECT op_id FROM ops WHERE org_id = $1 AND op_id = ANY ($2::text[])

-- name: states
SELECT f.layer, f.uid, f.state::text
FROM features f JOIN unnest($2::text[], $3::text[]) AS k (layer, uid) ON f.layer = k.layer AND f.uid = k.uid
WHERE f.org_id = $1

-- name: state
SELECT state::text FROM features WHERE org_id = $1 AND layer = $2 AND uid = $3

-- name: deleted_by_edit
SELECT layer, uid FROM features WHERE org_id = $1 AND NOT live AND state -> 'deleted' ->> 'edit_id' = $2

-- name: put_ops
INSERT INTO ops (org_id, op_id, seq) SELECT $1, k.op_id, k.seq FROM unnest($2::text[], $3::bigint[]) AS k (op_id, seq)

-- name: put_log
INSERT INTO log (org_id, seq, op_id, entry)
SELECT $1, k.seq, k.op_id, k.entry FROM unnest($2::bigint[], $3::text[], $4::text[]) AS k (seq, op_id, entry)

-- name: put_states
INSERT INTO features (org_id, layer, uid, live, state, attributes, geom)
SELECT $1, k.layer, k.uid, k.live, k.state::jsonb, k.attributes::jsonb,
       CASE WHEN k.wkb IS NULL THEN NULL ELSE ST_GeomFromWKB(k.wkb, k.srid) END
FROM unnest($2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::bytea[], $8::integer[])
  AS k (layer, uid, live, state, attributes, wkb, srid)
ON CONFLICT (org_id, layer, uid) DO UPDATE
  SET live = excluded.live, state = excluded.state, attributes = excluded.attributes, geom = excluded.geom

-- name: layer_fields
SELECT layer, field, kind FROM layer_fields WHERE org_id = $1 AND layer = ANY ($2::text[])

-- name: put_layer_field
INSERT INTO layer_fields (org_id, layer, field, kind) VALUES ($1, $2, $3, $4)
ON CONFLICT (org_id, layer, field) DO UPDATE SET kind = excluded.kind

-- name: put_conflict
INSERT INTO conflicts (org_id, id, layer, uid, conflict) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (org_id, id) DO NOTHING

-- name: resolve
UPDATE conflicts SET resolved_by = $3 WHERE org_id = $1 AND id = $2 AND resolved_by IS NULL

-- name: conflicts
SELECT conflict, resolved_by FROM conflicts WHERE org_id = $1 AND (resolved_by IS NULL OR NOT $2) ORDER BY n

-- name: complete_blobs
SELECT sha256 FROM blobs WHERE org_id = $1 AND sha256 = ANY ($2::text[]) AND complete

-- name: pull
SELECT entry FROM log WHERE org_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4

-- name: blob_status
SELECT total, received, complete FROM blobs WHERE org_id = $1 AND sha256 = $2

-- name: blob_lock
SELECT total, received, complete FROM blobs WHERE org_id = $1 AND sha256 = $2 FOR UPDATE

-- name: blob_begin
INSERT INTO blobs (org_id, sha256, total, received) VALUES ($1, $2, $3, 0) ON CONFLICT (org_id, sha256) DO NOTHING

-- name: blob_restart
UPDATE blobs SET total = $3, received = 0 WHERE org_id = $1 AND sha256 = $2

-- name: blob_chunk
INSERT INTO blob_chunks (org_id, sha256, "offset", data) VALUES ($1, $2, $3, $4)

-- name: blob_received
UPDATE blobs SET received = $3, complete = $4 WHERE org_id = $1 AND sha256 = $2

-- name: blob_chunks
SELECT data FROM blob_chunks WHERE org_id = $1 AND sha256 = $2 ORDER BY "offset"

-- name: blob_discard
DELETE FROM blobs WHERE org_id = $1 AND sha256 = $2

-- name: blob_discard_chunks
DELETE FROM blob_chunks WHERE org_id = $1 AND sha256 = $2

-- name: org_view
-- A layer of one organisation as QGIS reads it ({schema}, {view}, {columns},
-- {org_id} and {layer} filled in by the store; names are plain identifiers).
CREATE SCHEMA IF NOT EXISTS "{schema}";
DROP VIEW IF EXISTS "{schema}"."{view}";
CREATE VIEW "{schema}"."{view}" AS
  SELECT f.uid{columns}, f.geom
  FROM tongtin_hub.features f
  WHERE f.org_id = {org_id} AND f.layer = '{layer}' AND f.live;
