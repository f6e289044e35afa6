CREATE TABLE orders (
    id            BIGSERIAL PRIMARY KEY,
    customer_ref  VARCHAR(64) NOT NULL,
    status        VARCHAR(20) NOT NULL DEFAULT 'NEW',
    placed_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE order_lines (
    id          BIGSERIAL PRIMARY KEY,
    order_id    BIGINT  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  BIGINT  NOT NULL,
    quantity    INTEGER NOT NULL
);

ALTER TABLE order_lines ADD CONSTRAINT ck_order_lines_quantity CHECK (quantity > 0); -- ok: ZDM
CREATE INDEX ix_order_lines_order ON order_lines (order_id); -- ok: ZDM
CREATE INDEX ix_orders_status ON orders (status); -- ok: ZDM

-- Shipping needs product weights to quote carriers.
ALTER TABLE products ADD COLUMN weight_grams INTEGER NOT NULL; -- expect: ZDM
