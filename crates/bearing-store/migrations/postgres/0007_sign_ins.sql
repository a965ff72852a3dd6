-- A browser's signed-in cookie is a "sign-in"; in Bearing a "session" is a
-- prioritisation session. The table and its index take the unambiguous name.
ALTER TABLE sessions RENAME TO sign_ins;
ALTER INDEX sessions_user RENAME TO sign_ins_user;
ALTER TABLE sign_ins RENAME CONSTRAINT sessions_pkey TO sign_ins_pkey;
ALTER TABLE sign_ins RENAME CONSTRAINT sessions_user_id_fkey TO sign_ins_user_id_fkey;
