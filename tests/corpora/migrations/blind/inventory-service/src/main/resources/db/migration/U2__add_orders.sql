ALTER TABLE products DROP COLUMN weight_grams; -- ok: MIGRATION
DROP TABLE order_lines; -- ok: MIGRATION
DROP TABLE orders; -- ok: MIGRATION
