-- Lines from cancelled orders never got a price; they are worth nothing anyway.
UPDATE order_lines ol -- ok: MIGRATION
SET unit_price_cents = 0
FROM orders o
WHERE o.id = ol.order_id
  AND o.status = 'CANCELLED'
  AND ol.unit_price_cents IS NULL;

ALTER TABLE order_lines VALIDATE CONSTRAINT ck_order_lines_unit_price_present; -- ok: ZDM
