-- Flyway spots CREATE INDEX CONCURRENTLY and runs this script outside a
-- transaction, which is why the statement is alone in its file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_customer_ref ON orders (customer_ref); -- ok: ZDM
