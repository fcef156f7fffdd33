-- `audit verify` compares the audited rows with what the audit log last recorded of them ---------
-- The chains prove the record was not edited; they said nothing of the rows it records. A
-- superuser who changes a row with the triggers off (`session_replication_role = replica`: a VAT
-- rate set to 0, an invoice's net) leaves no record, and verify still said "the chains hold". Now
-- each row of an audited table is compared, field by field, with the values its records give it
-- (an insert gives every field, an update the ones it changed, the latest record winning): the
-- first field that differs is a problem, named with the row, the field and both values. Fields no
-- record holds (a column a later migration added) and columns the log leaves out on purpose (a
-- budget's and a contract's running total, `used`) are not compared; numbers compare by value.
-- The audited tables, their keys and what they leave out are read from their triggers, as
-- audit_kinds() reads them.
CREATE FUNCTION audit_live_differences() RETURNS TABLE (kind text, object text, field text, recorded jsonb, live jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    t record;
BEGIN
    PERFORM require_auditor();
    FOR t IN
        SELECT DISTINCT ON (c.relname) c.relname::text AS kind, x.args[1] AS keys, coalesce(x.args[2:], '{}') AS ignored
        FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        CROSS JOIN LATERAL (SELECT string_to_array(rtrim(encode(g.tgargs, 'escape'), '\000'), '\000') AS args) x
        WHERE g.tgfoid = 'workflow.audit_change'::regproc
        ORDER BY c.relname
    LOOP
        RETURN QUERY EXECUTE format($q$
            WITH live AS (
                SELECT concat_ws('/', VARIADIC ARRAY(SELECT to_jsonb(x) ->> btrim(k) FROM unnest(string_to_array($2, ',')) k)) AS object,
                       to_jsonb(x) - $3 AS fields
                FROM workflow.%I x),
            recorded AS (
                SELECT DISTINCT ON (a.object, f.key) a.object, f.key, f.value
                FROM workflow.audit a CROSS JOIN LATERAL jsonb_each(a.new) f
                WHERE a.kind = $1 AND a.new IS NOT NULL
                ORDER BY a.object, f.key, a.seq DESC)
            SELECT $1, l.object, r.key, r.value, l.fields -> r.key
            FROM live l JOIN recorded r ON r.object = l.object
            WHERE l.fields ? r.key AND l.fields -> r.key IS DISTINCT FROM r.value
            ORDER BY l.object, r.key
            $q$, t.kind) USING t.kind, t.keys, t.ignored;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION audit_live_differences() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_live_differences() TO devworkflow_user, devworkflow_daemon;

-- Rows the log never recorded — those the migrations wrote before the log began (the VAT rates,
-- the reminder rules, the settings) — are taken in as they stand, once, as 'baseline' records, so
-- that every audited row has something to be compared with from now on.
ALTER TABLE audit DROP CONSTRAINT audit_action_check,
    ADD CONSTRAINT audit_action_check CHECK (action IN ('insert', 'update', 'delete', 'redact', 'forget', 'seal', 'baseline'));
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT DISTINCT ON (c.relname) c.relname::text AS kind, x.args[1] AS keys, coalesce(x.args[2:], '{}') AS ignored
        FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        CROSS JOIN LATERAL (SELECT string_to_array(rtrim(encode(g.tgargs, 'escape'), '\000'), '\000') AS args) x
        WHERE g.tgfoid = 'workflow.audit_change'::regproc
        ORDER BY c.relname
    LOOP
        EXECUTE format($q$
            SELECT workflow.audit_record($1, 'baseline', l.object, NULL, l.fields, 'the row as it stood when the log began to compare rows (sql/0038)')
            FROM (SELECT concat_ws('/', VARIADIC ARRAY(SELECT to_jsonb(x) ->> btrim(k) FROM unnest(string_to_array($2, ',')) k)) AS object,
                         to_jsonb(x) - $3 AS fields
                  FROM workflow.%I x) l
            WHERE NOT EXISTS (SELECT 1 FROM workflow.audit a WHERE a.kind = $1 AND a.object = l.object)
            ORDER BY l.object
            $q$, t.kind) USING t.kind, t.keys, t.ignored;
    END LOOP;
END
$$;
