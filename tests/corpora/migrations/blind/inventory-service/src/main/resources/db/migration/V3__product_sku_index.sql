CREATE UNIQUE INDEX ux_products_sku ON products (sku); -- expect: ZDM

CREATE INDEX IF NOT EXISTS ix_stock_levels_warehouse ON stock_levels (warehouse_id); -- expect: ZDM

-- BRIN is tiny and orders are inserted in placed_at order.
CREATE INDEX ix_orders_placed_at ON orders USING brin (placed_at); -- expect: ZDM
