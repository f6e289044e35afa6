# Buckets. Versioning, encryption and public access blocks live in
# s3_controls.tf (AWS provider v4+ split resources).

# Static assets served through CloudFront (OAC).
resource "aws_s3_bucket" "assets" { # ok: BACKUPS, ENCRYPTION, NETWORK
  bucket = "${var.name_prefix}-assets"

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*" # ok: NETWORK
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.assets.arn, "${aws_s3_bucket.assets.arn}/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
      {
        Sid       = "CloudFrontOacRead"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.assets.arn}/*"
        Condition = {
          StringEquals = { "AWS:SourceArn" = var.cloudfront_distribution_arn }
        }
      }
    ]
  })
}

# Nightly CSV exports picked up by partners over SFTP Transfer Family.
# expect: ENCRYPTION, NETWORK
# ok: BACKUPS
resource "aws_s3_bucket" "exports" {
  bucket = "${var.name_prefix}-partner-exports"

  lifecycle {
    prevent_destroy = true
  }
}

# Public API documentation site (static website hosting).
# expect: BACKUPS, NETWORK
# ok: ENCRYPTION
resource "aws_s3_bucket" "public_docs" {
  bucket = "${var.name_prefix}-public-docs"

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "public_docs" {
  bucket = aws_s3_bucket.public_docs.id

  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "public_docs" {
  depends_on = [aws_s3_bucket_ownership_controls.public_docs]

  bucket = aws_s3_bucket.public_docs.id
  acl    = "public-read" # expect: NETWORK
}

resource "aws_s3_bucket_website_configuration" "public_docs" {
  bucket = aws_s3_bucket.public_docs.id

  index_document {
    suffix = "index.html"
  }

  error_document {
    key = "404.html"
  }
}

resource "aws_s3_bucket_policy" "public_docs" {
  bucket = aws_s3_bucket.public_docs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicReadGetObject"
        Effect    = "Allow"
        Principal = "*" # expect: NETWORK
        Action    = ["s3:GetObject"]
        Resource  = "${aws_s3_bucket.public_docs.arn}/*"
      }
    ]
  })
}
