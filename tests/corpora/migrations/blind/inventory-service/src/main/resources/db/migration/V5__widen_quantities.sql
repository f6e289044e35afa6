-- Bulk customers order screws by the pallet; int4 is not enough for stock counts.
ALTER TABLE stock_levels ALTER COLUMN quantity TYPE BIGINT; -- expect: ZDM

ALTER TABLE order_lines -- expect: ZDM
    ALTER COLUMN quantity SET DATA TYPE BIGINT;

ALTER TABLE stock_levels ALTER COLUMN quantity SET DEFAULT 0; -- ok: ZDM
