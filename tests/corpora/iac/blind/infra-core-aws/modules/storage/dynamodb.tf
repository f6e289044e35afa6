resource "aws_dynamodb_table" "orders" {
  name         = "${var.name_prefix}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  deletion_protection_enabled = true

  lifecycle {
    prevent_destroy = true
  }
}

# Web sessions, expired through TTL after 24h. Losing them logs users out.
# expect: BACKUPS, DELETION
# ok: ENCRYPTION
resource "aws_dynamodb_table" "sessions" {
  name         = "${var.name_prefix}-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "session_id"

  attribute {
    name = "session_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}

# Idempotency keys for the payments webhook consumer (kept 7 days).
resource "aws_dynamodb_table" "idempotency_keys" {
  name         = "${var.name_prefix}-idempotency-keys"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "idempotency_key"

  attribute {
    name = "idempotency_key"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = false # expect: BACKUPS
  }

  server_side_encryption {
    enabled = false # expect: ENCRYPTION
  }

  lifecycle {
    prevent_destroy = true
  }
}
