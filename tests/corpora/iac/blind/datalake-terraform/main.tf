# Data lake account (us-east-1). Still on AWS provider 3.x: the inline bucket
# blocks below are migrated bucket by bucket (DATA-377).
terraform {
  required_version = ">= 1.3.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 3.76"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  lake_azs = ["us-east-1a", "us-east-1b", "us-east-1c"]
  tags = {
    Team       = "data-platform"
    CostCenter = "4410"
  }
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "db_subnet_ids" {
  type = list(string)
}
