-- Reports and calendar feeds honour `--as`, and a superuser is not taken for the daemon -----------
-- vendor_report_name(), calendar_feed_0011() and penalties() let everything through when
-- `pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER')`: meant for workflowd's login, it is
-- also true for any superuser, and the embedded cluster's admin is one. `--as anna` (a vendor's
-- user) then read another vendor's report, penalties and calendar, where `request show` refused.
-- is_daemon_login() (0015) is the daemon's own test: a member of devworkflow_daemon who is not a
-- person. Each function gets that one expression instead, and nothing else (rewrite_function(),
-- sql/0022).
SELECT rewrite_function(f, $x$pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER')$x$, 'is_daemon_login()')
FROM unnest(ARRAY['vendor_report_name(text)', 'calendar_feed_0011(text, text, date)', 'penalties(integer, text, date)']::regprocedure[]) f;

-- The reports of the whole portfolio (status, budget, flow) are staff's: a vendor's user, or an
-- admin acting for one, is refused with words (77) instead of the tables' "permission denied".
-- Vendors read `report vendor` (their own) and `report penalties` (their own orders).
CREATE FUNCTION require_staff_reader() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person;
BEGIN
    IF is_daemon_login() THEN
        RETURN;
    END IF;
    a := actor();
    IF a.role = 'vendor' THEN
        PERFORM refuse('DW403', 'error.staff_reports', format('%s is a vendor''s user: this report is for staff', a.login),
                       jsonb_build_object('login', a.login));
    END IF;
END
$$;
REVOKE ALL ON FUNCTION require_staff_reader() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION require_staff_reader() TO devworkflow_user, devworkflow_daemon;
