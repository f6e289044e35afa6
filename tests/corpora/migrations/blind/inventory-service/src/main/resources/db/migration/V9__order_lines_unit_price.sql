-- Expand step: snapshot the unit price on each line. The column stays nullable;
-- the pricing job backfills it and V10 validates the NOT NULL check.
ALTER TABLE order_lines ADD COLUMN unit_price_cents BIGINT; -- ok: ZDM

ALTER TABLE order_lines -- ok: ZDM
    ADD CONSTRAINT ck_order_lines_unit_price_present
    CHECK (unit_price_cents IS NOT NULL) NOT VALID;
