-- "Since" is when the state began ------------------------------------------------------------------
-- A step that leaves the request in its state — a hold or a resume of an order, another vendor
-- invited, a second quote — set state_since to its own time: "ordered since 10:52" read as the
-- order's time, though the order was placed at 10:49 and only held at 10:52. state_since now
-- changes only when the state does; the step's own time is its event's.
SELECT rewrite_function('record_step(request, person, workflow_transition, jsonb)',
    'state_since = now() WHERE id = r.id',
    'state_since = CASE WHEN t.to_state = r.state THEN r.state_since ELSE now() END WHERE id = r.id');

-- `request show` of a held order says why it is held (the hold's reason, as the vendor's mail did),
-- beside since when.
SELECT rewrite_function('request_terms(text)', $old$'held_since', o.held_since,$old$,
    $new$'held_since', o.held_since,
        'held_reason', CASE WHEN o.held_since IS NOT NULL THEN (SELECT e.inputs ->> 'reason' FROM event e
                                                               WHERE e.request_id = r.id AND e.transition = 'hold'
                                                               ORDER BY e.seq DESC LIMIT 1) END,$new$);
