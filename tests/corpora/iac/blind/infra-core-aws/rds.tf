resource "aws_db_subnet_group" "main" {
  name       = "core-db"
  subnet_ids = var.db_subnet_ids
}

resource "aws_db_parameter_group" "pg16" {
  name   = "core-pg16"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

# Primary OLTP database for the orders platform.
resource "aws_db_instance" "orders" {
  identifier     = "orders-prod"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.r6g.xlarge"

  allocated_storage     = 200
  max_allocated_storage = 1000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.rds_kms_key_arn

  db_name                     = "orders"
  username                    = "orders_admin"
  manage_master_user_password = true

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.pg16.name

  backup_retention_period   = 14
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "orders-prod-final"
  deletion_protection       = true

  performance_insights_enabled    = true
  performance_insights_kms_key_id = var.rds_kms_key_arn

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [engine_version]
  }
}

# Identity service (Keycloak) database.
resource "aws_db_instance" "auth" { # expect: HA, BACKUPS
  identifier     = "auth-prod"
  engine         = "mysql"
  engine_version = "8.0.36"
  instance_class = "db.r6g.large"

  allocated_storage = 100
  storage_type      = "gp3"
  storage_encrypted = true
  kms_key_id        = var.rds_kms_key_arn

  db_name                     = "keycloak"
  username                    = "keycloak_admin"
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]

  final_snapshot_identifier = "auth-prod-final"
  deletion_protection       = false # expect: DELETION

  lifecycle {
    prevent_destroy = true
  }
}

# Reporting copy, restored nightly from the latest orders snapshot by the data
# team's Airflow DAG. Cheap on purpose: it can always be rebuilt.
resource "aws_db_instance" "reporting" { # expect: DELETION, DELETION, ENCRYPTION
  identifier     = "orders-reporting"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t4g.large"

  allocated_storage = 200
  storage_type      = "gp3"

  db_name                     = "orders"
  username                    = "reporting_admin"
  manage_master_user_password = true

  multi_az               = false # expect: HA
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.reporting_db.id]
  publicly_accessible    = true # expect: NETWORK
  parameter_group_name   = aws_db_parameter_group.pg16.name

  backup_retention_period = 0    # expect: BACKUPS
  skip_final_snapshot     = true # expect: BACKUPS
  apply_immediately       = true
}
