-- Inventory service baseline schema.

CREATE TABLE products (
    id            BIGSERIAL PRIMARY KEY,
    sku           VARCHAR(40)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    discontinued  BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
    id          BIGSERIAL PRIMARY KEY,
    code        VARCHAR(10)  NOT NULL UNIQUE,
    name        VARCHAR(120) NOT NULL,
    fax_number  VARCHAR(30)
);

CREATE TABLE stock_levels (
    id            BIGSERIAL PRIMARY KEY,
    product_id    BIGINT  NOT NULL,
    warehouse_id  BIGINT  NOT NULL,
    quantity      INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE stock_levels ADD CONSTRAINT fk_stock_levels_product FOREIGN KEY (product_id) REFERENCES products (id); -- ok: ZDM
ALTER TABLE stock_levels ADD CONSTRAINT fk_stock_levels_warehouse FOREIGN KEY (warehouse_id) REFERENCES warehouses (id); -- ok: ZDM
CREATE UNIQUE INDEX ux_stock_levels_product_warehouse ON stock_levels (product_id, warehouse_id); -- ok: ZDM

CREATE TABLE product_price_history (
    id           BIGSERIAL PRIMARY KEY,
    product_id   BIGINT        NOT NULL REFERENCES products (id),
    price        NUMERIC(12,2) NOT NULL,
    valid_from   DATE          NOT NULL
);
CREATE INDEX ix_price_history_product ON product_price_history (product_id, valid_from); -- ok: ZDM

-- Raw rows from the nightly ERP CSV import, cleared by the importer itself.
CREATE TABLE import_staging (
    line_no   INTEGER,
    payload   TEXT,
    loaded_at TIMESTAMPTZ DEFAULT now()
);
