-- A browser's signed-in cookie is a "sign-in"; in Bearing a "session" is a
-- prioritisation session. The table and its index take the unambiguous name.
ALTER TABLE sessions RENAME TO sign_ins;
DROP INDEX sessions_user;
CREATE INDEX sign_ins_user ON sign_ins(user_id);
