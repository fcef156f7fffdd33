-- A vendor's report does not show another vendor's order's progress --------------------------------
-- A vendor invited to quote reads in its report every request it was invited to, with the
-- request's state. Once the request was ordered from another vendor, that state went on —
-- ordered, delivered, accepted, released — beside an empty order column: a vendor could take
-- "ordered" for its own order, and it read how the competitor's work went, which the report
-- promises it never holds. Such a request now reads "ordered from another vendor", whatever
-- followed.
SELECT rewrite_function('vendor_report_query(text, date)',
    'SELECT r.id, r.system, r.title, r.state, i.due,',
    $new$SELECT r.id, r.system, r.title,
           CASE WHEN o.number IS NULL AND EXISTS (SELECT 1 FROM workflow.purchase_order x WHERE x.request_id = r.id AND x.vendor <> i.vendor)
                THEN 'ordered_elsewhere' ELSE r.state END,
           i.due,$new$);
