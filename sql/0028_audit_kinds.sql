-- `audit log --kind` knows its kinds ----------------------------------------------------------------
-- A kind the record never holds (`--kind nope`, `--kind contracts`) listed nothing and exited 0, as
-- if nothing had changed. The kinds are the tables whose changes audit_change() records (read from
-- their triggers, so a table audited later is a kind at once) and the records the functions write
-- themselves: a redacted comment, a seal. A person forgotten is a 'person' record.
CREATE FUNCTION audit_kinds() RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(k ORDER BY k) FROM (
        SELECT c.relname::text AS k FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE t.tgfoid = 'workflow.audit_change'::regproc
        UNION SELECT unnest(ARRAY['comment', 'seal'])) x
$$;

CREATE FUNCTION checked_audit_kind(p_kind text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_kinds text[] := audit_kinds();
BEGIN
    IF p_kind IS NOT NULL AND NOT p_kind = ANY (v_kinds) THEN
        PERFORM refuse('DW400', 'error.audit_kind', format('no kind %s in the audit record', left(p_kind, 40)),
                       jsonb_build_object('kind', left(p_kind, 40), 'known', 'words:' || array_to_string(v_kinds, ',')));
    END IF;
END
$$;
REVOKE ALL ON FUNCTION audit_kinds(), checked_audit_kind(text) FROM PUBLIC;

SELECT rewrite_function('audit_log(date, text)', 'PERFORM require_auditor();', E'PERFORM require_auditor();\n    PERFORM checked_audit_kind(p_kind);');
