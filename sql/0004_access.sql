-- The history cannot be forged by INSERT either, not even by the tables' owner (issue 7's access
-- matrix found that UPDATE, DELETE and TRUNCATE were refused but a made-up event could be
-- appended). An event is a step its request took: seq from 1 up to the request's version, which
-- move() raises in the same statement that appends the event (an AFTER trigger sees the whole
-- statement's work). Every seq up to the version exists already (request_has_history keeps the
-- history unbroken), so an insert that is no real step is refused here or by event_seq_unique.
--
-- A row trigger, not SECURITY DEFINER and without SET: only move() and the proposal trigger
-- (both run as the owner) insert events, and a statement-level trigger with a transition table
-- cost each move about a fifth more; this costs it next to nothing.

CREATE FUNCTION event_is_a_step() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq < 1 OR NOT EXISTS (SELECT 1 FROM workflow.request r WHERE r.id = NEW.request_id AND r.version >= NEW.seq) THEN
        RAISE EXCEPTION USING ERRCODE = 'DW405',
            MESSAGE = format('the history is append-only: event %s of %s is not a step the request took', NEW.seq, NEW.request_id),
            DETAIL = json_build_object('key', 'error.forged_event', 'request', NEW.request_id, 'seq', NEW.seq)::text;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_is_a_step AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_is_a_step();

REVOKE ALL ON FUNCTION event_is_a_step() FROM PUBLIC;
