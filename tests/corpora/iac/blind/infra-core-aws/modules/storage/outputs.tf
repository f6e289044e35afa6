output "assets_bucket_name" {
  value = aws_s3_bucket.assets.bucket
}

output "exports_bucket_name" {
  value = aws_s3_bucket.exports.bucket
}

output "orders_table_name" {
  value = aws_dynamodb_table.orders.name
}
