module "storage" {
  source = "./modules/storage"

  name_prefix                 = "acme-prod"
  kms_key_arn                 = var.data_kms_key_arn
  cloudfront_distribution_arn = var.cloudfront_distribution_arn
}

data "aws_caller_identity" "current" {}

data "aws_elb_service_account" "main" {}
