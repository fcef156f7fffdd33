-- An amount or hours with more than two decimals is refused as written -------------------------
-- `--price 1.500` was read as 1.50 € (three decimals, the last a zero: the same number), while the
-- mail gateway refuses "2.000". Written by an Estonian, 1.500 is as likely fifteen hundred: the
-- value is ambiguous, and every way in now refuses it as the format error it was meant to be.
SELECT rewrite_function('input_value(text, jsonb, date)',
    $old$v_text !~ '^[0-9]{1,30}(\.[0-9]{1,30})?$' OR v_text::numeric <> round(v_text::numeric, 2)$old$,
    $new$v_text !~ '^[0-9]{1,30}(\.[0-9]{1,2})?$'$new$);
