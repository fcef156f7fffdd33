-- Whether a message goes to a vendor, for the reminders both parties receive ---------------------
-- deadline_passed and warranty_fix_passed go to the vendor and to the product owner (and an admin
-- after E business days) with one text: To the vendor … To the product owner …. A product
-- owner who cannot log in was shown only the vendor's part, and the reply it invites (deliver:
-- …), which the mail gateway then applied for the vendor. The renderer now shows each party its
-- own part; workflowd asks this of each message it claims, beside recipient_logs_in().
CREATE FUNCTION recipient_is_vendor(p_email text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM workflow.person p WHERE lower(p.email) = lower(p_email) AND p.role = 'vendor' AND p.active)
        OR EXISTS (SELECT 1 FROM workflow.vendor v WHERE lower(v.email) = lower(p_email))
$$;
REVOKE ALL ON FUNCTION recipient_is_vendor(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION recipient_is_vendor(text) TO devworkflow_daemon;
