-- `request list` and `request show` say which orders are late -----------------------------------
-- A late order looked like any other in `request list` (only `--overdue` found it): the list
-- marks it now, as it marks a held one. Whether it is late is order_late()'s to say, as for
-- --overdue, the reports and the reminders: an ordered request whose deadline passed (in Tallinn)
-- and whose clock is not held. A reader who does not see the order (another vendor) reads false.
SELECT redefine_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    ARRAY['held_since timestamp with time zone, total bigint)',
          'x.state_since, x.created_at, x.held_since, count(*) OVER ()',
          'CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.held_since END AS held_since,'],
    ARRAY['held_since timestamp with time zone, late boolean, total bigint)',
          'x.state_since, x.created_at, x.held_since, x.late, count(*) OVER ()',
          $new$CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.held_since END AS held_since,
               r.state = 'ordered' AND (v_mine IS NULL OR o.vendor = v_mine)
                   AND coalesce(order_late(o, (now() AT TIME ZONE 'Europe/Tallinn')::date), false) AS late,$new$]);

SELECT redefine_function('request_row(text)',
    ARRAY['held_since timestamp with time zone)', 'r.created_at, o.held_since'],
    ARRAY['held_since timestamp with time zone, late boolean)',
          $new$r.created_at, o.held_since,
           r.state = 'ordered' AND coalesce(order_late(o, (now() AT TIME ZONE 'Europe/Tallinn')::date), false)$new$]);
