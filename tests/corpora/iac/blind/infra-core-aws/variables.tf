variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "db_subnet_ids" {
  type = list(string)
}

variable "office_cidr" {
  description = "Egress range of the Berlin office VPN"
  type        = string
  default     = "198.51.100.0/24"
}

variable "acm_certificate_arn" {
  type = string
}

variable "rds_kms_key_arn" {
  type = string
}

variable "data_kms_key_arn" {
  type = string
}

variable "cloudfront_distribution_arn" {
  type = string
}

variable "sessions_redis_auth_token" {
  type      = string
  sensitive = true
}
