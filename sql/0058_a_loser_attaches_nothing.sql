-- A vendor whose request was ordered from another vendor attaches no file to it ------------------
-- Its `request transitions` says the request is final to it ("ordered elsewhere", sql/0035), yet
-- it could still attach a file: the attach event then showed in its own history with the real
-- state ("attach: delivered → delivered"), and its numbering jumped over the events it does not
-- see. An attach is refused to it as a step from a final state is.
SELECT rewrite_function('attach_begin(text, text, text, boolean, bigint)',
    $old$    IF coalesce(p_name, '') = '' OR length(p_name) > 1000 THEN$old$,
    $new$    IF a.role = 'vendor' AND state_as_read(r, a.vendor) = 'ordered_elsewhere' THEN
        PERFORM refuse_final(r.id, 'ordered_elsewhere', 'attach');
    END IF;
    IF coalesce(p_name, '') = '' OR length(p_name) > 1000 THEN$new$);
