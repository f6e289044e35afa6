terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "grafana_admin_password" {
  type    = string
  default = "Graf-Tf-Default-Pa55" # expect: SEC004
}

resource "random_password" "redis" {
  length  = 32
  special = false
}

resource "aws_db_instance" "billing" {
  identifier        = "billing"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "billing"
  password          = var.db_password
  storage_encrypted = true
}

resource "aws_db_instance" "reporting" {
  identifier     = "reporting"
  engine         = "postgres"
  instance_class = "db.t4g.small"
  username       = "reporting"
  password       = "Rep0rting-Tf-Pa55" # ok: SEC005 (AWS019 reports how an AWS resource gets its password)
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "billing-cache"
  description          = "billing cache"
  auth_token           = random_password.redis.result
}

resource "aws_ssm_parameter" "stripe" {
  name  = "/billing/stripe/api_key"
  type  = "SecureString"
  value = "placeholder"
  lifecycle { ignore_changes = [value] }
}

resource "aws_secretsmanager_secret" "webhook" {
  name = "billing/stripe/webhook"
}

resource "aws_secretsmanager_secret_version" "webhook" {
  secret_id     = aws_secretsmanager_secret.webhook.id
  secret_string = "whsec_EXAMPLEterraform000000" # expect: SEC005
}

output "db_endpoint" {
  value = aws_db_instance.billing.endpoint
}
