resource "aws_db_subnet_group" "lake" {
  name       = "datalake"
  subnet_ids = var.db_subnet_ids
}

resource "aws_security_group" "warehouse" {
  name   = "datalake-warehouse"
  vpc_id = var.vpc_id

  ingress {
    description = "Postgres/MySQL from inside the VPC"
    from_port   = 3306
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

data "aws_secretsmanager_secret_version" "warehouse_master" {
  secret_id = "datalake/warehouse/master"
}

# Aurora PostgreSQL warehouse. Two instances across AZs (writer + reader).
resource "aws_rds_cluster" "warehouse" { # ok: HA
  cluster_identifier = "lake-warehouse"
  engine             = "aurora-postgresql"
  engine_version     = "15.4"
  database_name      = "warehouse"
  master_username    = "warehouse_admin"
  master_password    = jsondecode(data.aws_secretsmanager_secret_version.warehouse_master.secret_string)["password"]

  availability_zones     = local.lake_azs
  db_subnet_group_name   = aws_db_subnet_group.lake.name
  vpc_security_group_ids = [aws_security_group.warehouse.id]

  storage_encrypted = true
  kms_key_id        = aws_kms_key.lake.arn

  backup_retention_period   = 14
  preferred_backup_window   = "07:00-09:00"
  copy_tags_to_snapshot     = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "lake-warehouse-final"
  deletion_protection       = true

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [availability_zones]
  }
}

# Cluster members: storage, backups and encryption are properties of the cluster.
# ok: HA, BACKUPS, ENCRYPTION, DELETION
resource "aws_rds_cluster_instance" "warehouse" {
  count                = 2
  identifier           = "lake-warehouse-${count.index}"
  cluster_identifier   = aws_rds_cluster.warehouse.id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.warehouse.engine
  engine_version       = aws_rds_cluster.warehouse.engine_version
  db_subnet_group_name = aws_db_subnet_group.lake.name
  publicly_accessible  = false
}

# Analyst sandbox, recreated from a warehouse snapshot every Monday.
resource "aws_rds_cluster" "sandbox" { # expect: BACKUPS, DELETION
  cluster_identifier = "lake-sandbox"
  engine             = "aurora-mysql"
  engine_version     = "8.0.mysql_aurora.3.05.2"
  database_name      = "sandbox"
  master_username    = "sandbox_admin"
  master_password    = jsondecode(data.aws_secretsmanager_secret_version.warehouse_master.secret_string)["sandbox_password"]

  availability_zones     = local.lake_azs
  db_subnet_group_name   = aws_db_subnet_group.lake.name
  vpc_security_group_ids = [aws_security_group.warehouse.id]

  storage_encrypted   = false # expect: ENCRYPTION
  deletion_protection = false # expect: DELETION
  skip_final_snapshot = true  # expect: BACKUPS
}

resource "aws_rds_cluster_instance" "sandbox" {
  count              = 2
  identifier         = "lake-sandbox-${count.index}"
  cluster_identifier = aws_rds_cluster.sandbox.id
  instance_class     = "db.t4g.medium"
  engine             = aws_rds_cluster.sandbox.engine
  engine_version     = aws_rds_cluster.sandbox.engine_version
  # analysts connect from Tableau Desktop at home
  publicly_accessible = true # expect: NETWORK
}
