-- The history cannot be forged by INSERT either, not even by the tables' owner (issue 7's access
-- matrix found that UPDATE, DELETE and TRUNCATE were refused but a made-up event could be
-- appended). An event is a step its request took: seq from 1 up to the request's version, which
-- move() raises in the same statement that appends the event. Every seq up to the version exists
-- already (request_has_history keeps the history unbroken), so an insert that is no real step is
-- refused here or by event_seq_unique. One check per statement, so an import of many requests
-- pays it once.

CREATE FUNCTION event_is_a_step() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_request text;
    v_seq integer;
BEGIN
    SELECT n.request_id, n.seq INTO v_request, v_seq
    FROM new_events n LEFT JOIN request r ON r.id = n.request_id
    WHERE n.seq < 1 OR r.id IS NULL OR n.seq > r.version
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'DW405',
            MESSAGE = format('the history is append-only: event %s of %s is not a step the request took', v_seq, v_request),
            DETAIL = json_build_object('key', 'error.forged_event', 'request', v_request, 'seq', v_seq)::text;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_is_a_step AFTER INSERT ON event REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION event_is_a_step();

REVOKE ALL ON FUNCTION event_is_a_step() FROM PUBLIC;
