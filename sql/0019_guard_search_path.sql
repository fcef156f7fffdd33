-- The request's guard trigger names its schema instead of setting search_path (issue 14's speed rows).
--
-- request_guarded runs on every UPDATE of a request, a move's included. 0006 gave its function
-- `SET search_path = workflow, pg_temp`, and PostgreSQL then sets and restores the parameter around
-- each call, which makes the session look its search path up again twice a move: 28 000 of a
-- deliver or return move's 2.42 million instructions (callgrind, single-user backend). The
-- function is not SECURITY DEFINER (it runs as whoever writes), so it needs no fixed path of its
-- own, only names that no other schema can take: the table and refuse() are named with their
-- schema. Otherwise 0006's function, unchanged.
CREATE OR REPLACE FUNCTION request_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.system <> OLD.system OR NEW.number <> OLD.number OR NEW.created_by <> OLD.created_by
       OR NEW.definition <> OLD.definition THEN
        PERFORM workflow.refuse('DW422', 'error.identity', 'a request''s identity cannot change');
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state
       AND NOT EXISTS (SELECT 1 FROM workflow.workflow_transition t
                       WHERE t.definition = OLD.definition AND t.from_state = OLD.state AND t.to_state = NEW.state) THEN
        PERFORM workflow.refuse('DW422', 'error.state_change', format('the workflow does not allow %s to go from %s to %s', OLD.id, OLD.state, NEW.state),
                                jsonb_build_object('request', OLD.id, 'from', 'state:' || OLD.state, 'to', 'state:' || NEW.state));
    END IF;
    IF (NEW.state IS DISTINCT FROM OLD.state OR NEW.version <> OLD.version) AND NEW.version <> OLD.version + 1 THEN
        PERFORM workflow.refuse('DW422', 'error.version_step', format('%s: a change must advance the version by one', OLD.id),
                                jsonb_build_object('request', OLD.id));
    END IF;
    RETURN NEW;
END
$$;
