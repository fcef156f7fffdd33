-- The history says which steps came by mail ------------------------------------------------------
-- A quote or a delivery a vendor sent by replying read "anna (by root)" in `request history`:
-- the same words as an admin acting `--as` Anna, though root was only the mail gateway's login
-- that handed the reply in. Each step and comment now says how it came (`via`: 'mail' when the
-- mail gateway applied it, from mail_in), and the history reads "anna (by mail reply)".

CREATE INDEX mail_in_event_idx ON mail_in (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX mail_in_comment_idx ON mail_in (comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX mail_in_request_files_idx ON mail_in (request_id) WHERE attachments IS NOT NULL;

-- How a step came: 'mail' for the step a reply applied, and for the attach events of the files it
-- carried (mail_in names them by number); null for the rest.
CREATE FUNCTION event_via(e event) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT 'mail'::text
    WHERE EXISTS (SELECT 1 FROM workflow.mail_in m WHERE m.event_id = e.id)
       OR (e.transition = 'attach'
           AND EXISTS (SELECT 1 FROM workflow.mail_in m WHERE m.request_id = e.request_id
                         AND m.attachments @> jsonb_build_array(jsonb_build_object('file', e.inputs -> 'file'))))
$$;
REVOKE ALL ON FUNCTION event_via(event) FROM PUBLIC;

SELECT redefine_function('request_events(text)',
    ARRAY['inputs jsonb)',
          $old$e.by_login, e.at, e.inputs
    FROM event e WHERE e.request_id = r.id AND$old$,
          $old$jsonb_build_object('due', e.inputs -> 'due')$old$,
          $old$'{}'::jsonb$old$],
    ARRAY['inputs jsonb, via text)',
          $new$e.by_login, e.at, e.inputs, event_via(e)
    FROM event e WHERE e.request_id = r.id AND$new$,
          $new$jsonb_build_object('due', e.inputs -> 'due'), NULL::text$new$,
          $new$'{}'::jsonb, NULL::text$new$]);

SELECT redefine_function('request_comments(text)',
    ARRAY['internal boolean)', 'c.body, c.internal FROM comment c'],
    ARRAY['internal boolean, via text)',
          $new$c.body, c.internal, (SELECT 'mail'::text FROM mail_in m WHERE m.comment_id = c.id LIMIT 1) FROM comment c$new$]);
