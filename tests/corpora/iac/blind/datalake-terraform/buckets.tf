resource "aws_s3_bucket" "raw" {
  bucket = "acme-datalake-raw"
  acl    = "private" # ok: NETWORK

  versioning {
    enabled = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.lake.arn
      }
      bucket_key_enabled = true
    }
  }

  lifecycle_rule {
    id      = "raw-to-glacier"
    enabled = true

    transition {
      days          = 90
      storage_class = "GLACIER"
    }
  }

  lifecycle {
    prevent_destroy = true
  }

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "raw" {
  bucket                  = aws_s3_bucket.raw.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "curated" {
  bucket = "acme-datalake-curated"
  acl    = "private"

  versioning {
    # switched off to cut storage costs, curated data can be rebuilt from raw (DATA-412)
    enabled = false # expect: BACKUPS
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }

  lifecycle {
    prevent_destroy = true
  }

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "curated" {
  bucket                  = aws_s3_bucket.curated.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Aggregated, anonymised datasets shared with research partners.
resource "aws_s3_bucket" "partner_share" { # expect: BACKUPS, DELETION, ENCRYPTION, NETWORK
  bucket = "acme-datalake-partner-share"
  acl    = "public-read" # expect: NETWORK

  lifecycle_rule {
    id      = "expire-shares"
    enabled = true

    expiration {
      days = 14
    }
  }

  tags = local.tags
}
