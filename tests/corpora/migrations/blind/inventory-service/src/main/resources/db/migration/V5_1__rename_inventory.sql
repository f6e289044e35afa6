-- Naming alignment with the WMS vendor (INV-288).
ALTER TABLE warehouses RENAME COLUMN code TO site_code; -- expect: ZDM
ALTER TABLE stock_levels RENAME TO inventory_levels; -- expect: ZDM

ALTER INDEX ux_stock_levels_product_warehouse RENAME TO ux_inventory_levels_product_warehouse; -- ok: ZDM
ALTER TABLE inventory_levels RENAME CONSTRAINT fk_stock_levels_product TO fk_inventory_levels_product; -- ok: ZDM
ALTER SEQUENCE stock_levels_id_seq RENAME TO inventory_levels_id_seq; -- ok: ZDM
