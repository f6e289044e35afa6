# Data volumes for the two EC2 hosts that are not containerised yet.

resource "aws_ebs_volume" "jenkins_home" {
  availability_zone = "eu-west-1a"
  size              = 500
  type              = "gp3"
  throughput        = 250
  # created before account-level default encryption was switched on
  encrypted = false # expect: ENCRYPTION

  lifecycle {
    prevent_destroy = true
  }

  tags = {
    Name = "jenkins-home"
  }
}

resource "aws_ebs_volume" "ledger_archive" {
  availability_zone = "eu-west-1b"
  size              = 2000
  type              = "sc1"
  encrypted         = true
  kms_key_id        = var.data_kms_key_arn

  lifecycle {
    prevent_destroy = true
  }

  tags = {
    Name = "ledger-archive"
  }
}
