-- The SQLite store's queries, by name (see store::Queries).

-- name: add_org
INSERT INTO orgs (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING

-- name: orgs
SELECT code, name, model_version, last_seq FROM orgs ORDER BY code

-- name: org_id
SELECT id FROM orgs WHERE code = ?1

-- name: org_for_push
SELECT id, model_version, last_seq FROM orgs WHERE code = ?1

-- name: set_org_position
UPDATE orgs SET last_seq = ?2, model_version = ?3 WHERE id = ?1

-- name: status
SELECT model_version, last_seq FROM orgs WHERE code = ?1

-- name: add_user
INSERT INTO users (org_id, name, password_hash, role) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (org_id, name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role

-- name: users
SELECT o.code, u.name, u.role FROM users u JOIN orgs o ON o.id = u.org_id ORDER BY o.code, u.name

-- name: remove_user
DELETE FROM users WHERE org_id = ?1 AND name = ?2

-- name: remove_sessions
DELETE FROM sessions WHERE org_id = ?1 AND user_name = ?2

-- name: add_superuser
INSERT INTO superusers (name, password_hash) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING

-- name: has_superuser
SELECT EXISTS (SELECT 1 FROM superusers)

-- name: member_credentials
SELECT u.password_hash, u.role FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.code = ?1 AND u.name = ?2

-- name: superuser_credentials
SELECT s.password_hash FROM superusers s WHERE s.name = ?2 AND EXISTS (SELECT 1 FROM orgs WHERE code = ?1)

-- name: purge_sessions
DELETE FROM sessions WHERE expires_at < ?1

-- name: create_session
INSERT INTO sessions (token_hash, org_id, user_name, role, expires_at)
SELECT ?1, id, ?3, ?4, ?5 FROM orgs WHERE code = ?2

-- name: session
SELECT o.code, s.user_name, s.role, s.expires_at FROM sessions s JOIN orgs o ON o.id = s.org_id WHERE s.token_hash = ?1

-- name: has_op
SELECT EXISTS (SELECT 1 FROM ops WHERE org_id = ?1 AND op_id = ?2)

-- name: mark_op
INSERT INTO ops (org_id, op_id, seq) VALUES (?1, ?2, ?3)

-- name: state
SELECT state FROM features WHERE org_id = ?1 AND layer = ?2 AND uid = ?3

-- name: deleted_by_edit
SELECT layer, uid FROM features WHERE org_id = ?1 AND live = 0 AND json_extract(state, '$.deleted.edit_id') = ?2

-- name: put_state
INSERT INTO features (org_id, layer, uid, live, state) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (org_id, layer, uid) DO UPDATE SET live = excluded.live, state = excluded.state

-- name: append
INSERT INTO log (org_id, seq, op_id, entry) VALUES (?1, ?2, ?3, ?4)

-- name: put_conflict
INSERT INTO conflicts (org_id, id, layer, uid, conflict) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (org_id, id) DO NOTHING

-- name: resolve
UPDATE conflicts SET resolved_by = ?3 WHERE org_id = ?1 AND id = ?2 AND resolved_by IS NULL

-- name: conflicts
SELECT conflict, resolved_by FROM conflicts WHERE org_id = ?1 AND (resolved_by IS NULL OR NOT ?2) ORDER BY rowid

-- name: blob_complete
SELECT complete FROM blobs WHERE org_id = ?1 AND sha256 = ?2

-- name: pull
SELECT entry FROM log WHERE org_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4

-- name: blob_status
SELECT total, received, complete FROM blobs WHERE org_id = ?1 AND sha256 = ?2

-- name: blob_begin
INSERT INTO blobs (org_id, sha256, total, received) VALUES (?1, ?2, ?3, 0)

-- name: blob_chunk
INSERT INTO blob_chunks (org_id, sha256, offset, data) VALUES (?1, ?2, ?3, ?4)

-- name: blob_received
UPDATE blobs SET received = ?3, complete = ?4 WHERE org_id = ?1 AND sha256 = ?2

-- name: blob_chunks
SELECT data FROM blob_chunks WHERE org_id = ?1 AND sha256 = ?2 ORDER BY offset

-- name: blob_discard
DELETE FROM blobs WHERE org_id = ?1 AND sha256 = ?2

-- name: blob_discard_chunks
DELETE FROM blob_chunks WHERE org_id = ?1 AND sha256 = ?2
