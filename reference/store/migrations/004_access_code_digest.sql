-- Guarantee access codes are kept only as salted SHA-256 digests (see ../access-code.ts);
-- a guarantee has none until it is approved. Stored CTDs keep no access code either:
-- the holder presents it when lodging or amending, and it is checked then.
ALTER TABLE guarantees ADD COLUMN access_code_salt bytea, ADD COLUMN access_code_hash bytea;
UPDATE guarantees SET access_code_salt = uuid_send(gen_random_uuid());
UPDATE guarantees SET access_code_hash = sha256(access_code_salt || convert_to(upper(access_code), 'UTF8'));
ALTER TABLE guarantees DROP COLUMN access_code;

UPDATE movements m
   SET ctd = jsonb_set(m.ctd, '{guarantees}', (
     SELECT jsonb_agg(
              jsonb_set(g.value, '{references}', (
                SELECT coalesce(jsonb_agg(r.value - 'accessCode' ORDER BY r.i), '[]'::jsonb)
                  FROM jsonb_array_elements(g.value -> 'references') WITH ORDINALITY AS r(value, i)))
              ORDER BY g.i)
       FROM jsonb_array_elements(m.ctd -> 'guarantees') WITH ORDINALITY AS g(value, i)))
 WHERE jsonb_typeof(m.ctd -> 'guarantees') = 'array' AND jsonb_array_length(m.ctd -> 'guarantees') > 0;
