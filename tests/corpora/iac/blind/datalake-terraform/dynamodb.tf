# Kinesis consumer checkpoints for the ingestion service.
# Encrypted with the AWS owned key (DynamoDB default); no CMK needed here.
resource "aws_dynamodb_table" "ingest_checkpoints" { # ok: ENCRYPTION
  name         = "lake-ingest-checkpoints"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "stream"
  range_key    = "shard_id"

  attribute {
    name = "stream"
    type = "S"
  }

  attribute {
    name = "shard_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }

  tags = local.tags
}
