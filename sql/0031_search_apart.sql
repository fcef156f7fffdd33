-- The search text beside the request, not in the request's row indexes -----------------------------
-- 0012 indexed search_fold(title || ' ' || description) on request itself, with a trigram GIN
-- index. Every move changes the request's state, which request_state_idx covers, so no update
-- of a request is a HOT update, and PostgreSQL then adds the new row version to every index of
-- the table: each move wrote every trigram of the title and description into the GIN index
-- again. A move of a request with a 1 100-character description took twice the server time of
-- one with none (0.60 ms against 0.30 ms, pgbench running the move with synchronous_commit off),
-- so a move's cost grew with what the requester had written.
--
-- The folded text now lives in request_search, one row a request, written when a request is
-- proposed and when its title or description is edited; the trigram index is on that table. A
-- move writes nothing here. request_list() finds the words the same way, through that table.
CREATE TABLE request_search (
    request_id text PRIMARY KEY REFERENCES request (id) ON DELETE CASCADE,
    folded text NOT NULL
);
REVOKE ALL ON request_search FROM PUBLIC;
GRANT SELECT ON request_search TO devworkflow_staff, devworkflow_daemon;

INSERT INTO request_search (request_id, folded)
SELECT id, search_fold(title || ' ' || description) FROM request;

-- Kept by the request's own writes, whoever makes them; the table is written by nothing else.
CREATE FUNCTION request_search_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    INSERT INTO request_search (request_id, folded) VALUES (NEW.id, search_fold(NEW.title || ' ' || NEW.description))
    ON CONFLICT (request_id) DO UPDATE SET folded = EXCLUDED.folded;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION request_search_kept() FROM PUBLIC;
CREATE TRIGGER request_search_on_insert AFTER INSERT ON request
    FOR EACH ROW EXECUTE FUNCTION request_search_kept();
CREATE TRIGGER request_search_on_edit AFTER UPDATE OF title, description ON request
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
    EXECUTE FUNCTION request_search_kept();

DO $$
DECLARE
    v_schema text;
BEGIN
    SELECT n.nspname INTO v_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    DROP INDEX IF EXISTS request_search_idx;
    IF v_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX request_search_idx ON request_search USING gin (folded %I.gin_trgm_ops)', v_schema);
    END IF;
END
$$;

SELECT rewrite_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    $old$(v_longest IS NULL OR (search_fold(r.title || ' ' || r.description) LIKE v_longest
                                     AND search_fold(r.title || ' ' || r.description) LIKE ALL (v_words)))$old$,
    $new$(v_longest IS NULL OR r.id IN (SELECT s.request_id FROM request_search s
                                             WHERE s.folded LIKE v_longest AND s.folded LIKE ALL (v_words)))$new$);
