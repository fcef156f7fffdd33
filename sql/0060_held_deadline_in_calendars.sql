-- A held order's deadline says it is held, in the calendars ---------------------------------------
-- A hold stops the order's clock (its penalty does not count the days held), yet the vendor's
-- feed went on showing "Delivery deadline: KOVTP-5" as if it ran. The event now says the order is
-- on hold (its detail 'held'), and its DTSTAMP moves with the hold, so a calendar takes the change.
SELECT rewrite_function('calendar_feed_0011(text, text, date)',
    $old$SELECT 'order-deadline', r.id, o.deadline, NULL, r.id, r.system, r.title, o.vendor, o.number, NULL, r.state_since$old$,
    $new$SELECT 'order-deadline', r.id, o.deadline, NULL, r.id, r.system, r.title, o.vendor, o.number,
               CASE WHEN o.held_since IS NOT NULL THEN 'held' END, greatest(r.state_since, o.held_since)$new$);
SELECT rewrite_function('calendar_feed_0011(text, text, date)',
    $old$               r.id, r.system, r.title, o.vendor, o.number, NULL, r.state_since$old$,
    $new$               r.id, r.system, r.title, o.vendor, o.number, CASE WHEN r.state = 'ordered' AND o.held_since IS NOT NULL THEN 'held' END,
               greatest(r.state_since, o.held_since)$new$);
