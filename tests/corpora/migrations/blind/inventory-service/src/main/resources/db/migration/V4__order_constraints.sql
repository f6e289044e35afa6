ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ('NEW', 'ALLOCATED', 'SHIPPED', 'CANCELLED')); -- expect: ZDM
ALTER TABLE stock_levels ADD CONSTRAINT ck_stock_levels_quantity_non_negative CHECK (quantity >= 0); -- expect: ZDM

-- order_lines is the hot table: add the FK without a scan, then validate it
-- (VALIDATE only takes SHARE UPDATE EXCLUSIVE on order_lines).
ALTER TABLE order_lines -- ok: ZDM
    ADD CONSTRAINT fk_order_lines_product
    FOREIGN KEY (product_id) REFERENCES products (id)
    NOT VALID;

ALTER TABLE order_lines VALIDATE CONSTRAINT fk_order_lines_product; -- ok: ZDM
