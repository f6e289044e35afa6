variable "name_prefix" {
  description = "Prefix for every bucket and table name, e.g. acme-prod"
  type        = string
}

variable "kms_key_arn" {
  description = "CMK used for S3 and DynamoDB encryption"
  type        = string
}

variable "cloudfront_distribution_arn" {
  description = "Distribution allowed to read the assets bucket through OAC"
  type        = string
}
