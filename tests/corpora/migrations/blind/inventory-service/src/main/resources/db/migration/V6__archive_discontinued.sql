-- Price history now lives in the pricing service's own database (PRC-77).
DELETE FROM product_price_history; -- expect: MIGRATION

TRUNCATE TABLE import_staging; -- expect: MIGRATION

-- Scratch copy somebody made during the 2019 re-pricing.
DROP TABLE IF EXISTS products_tmp_2019; -- expect: MIGRATION

-- Move discontinued products that were never ordered out of the hot tables.
CREATE TABLE products_archive AS
SELECT * FROM products WHERE discontinued;

DELETE FROM inventory_levels il -- ok: MIGRATION
USING products p
WHERE il.product_id = p.id
  AND p.discontinued;

DELETE FROM products p -- ok: MIGRATION
WHERE p.discontinued
  AND NOT EXISTS (SELECT 1 FROM order_lines ol WHERE ol.product_id = p.id);
