-- Nobody has sent a fax since 2009.
ALTER TABLE warehouses DROP COLUMN fax_number; -- expect: MIGRATION

-- The ERP integration keys on sku since V3.
ALTER TABLE products DROP COLUMN IF EXISTS legacy_erp_code; -- expect: MIGRATION

-- DROP TABLE suppliers;  -- ok: MIGRATION
-- ^ kept until procurement confirms the Coupa export (INV-311).
