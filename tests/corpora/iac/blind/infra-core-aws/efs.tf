# User uploads shared by the CMS pods (ReadWriteMany).
resource "aws_efs_file_system" "shared_uploads" {
  creation_token   = "core-shared-uploads"
  encrypted        = true
  kms_key_id       = var.data_kms_key_arn
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  lifecycle {
    prevent_destroy = true
  }

  tags = {
    Name = "core-shared-uploads"
  }
}

resource "aws_efs_backup_policy" "shared_uploads" {
  file_system_id = aws_efs_file_system.shared_uploads.id

  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_mount_target" "shared_uploads" {
  for_each        = toset(var.private_subnet_ids)
  file_system_id  = aws_efs_file_system.shared_uploads.id
  subnet_id       = each.value
  security_groups = [aws_security_group.app.id]
}

# Build cache for the self-hosted CI runners.
resource "aws_efs_file_system" "ci_cache" { # expect: DELETION, ENCRYPTION
  creation_token   = "core-ci-cache"
  performance_mode = "generalPurpose"
  throughput_mode  = "bursting"

  lifecycle_policy {
    transition_to_ia = "AFTER_7_DAYS"
  }

  tags = {
    Name = "core-ci-cache"
  }
}

resource "aws_efs_mount_target" "ci_cache" {
  for_each        = toset(var.private_subnet_ids)
  file_system_id  = aws_efs_file_system.ci_cache.id
  subnet_id       = each.value
  security_groups = [aws_security_group.app.id]
}
