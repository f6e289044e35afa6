resource "aws_security_group" "alb" {
  name        = "core-public-alb"
  description = "Internet-facing ALB"
  vpc_id      = var.vpc_id

  ingress {
    description      = "HTTPS from anywhere"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"] # ok: NETWORK
    ipv6_cidr_blocks = ["::/0"]      # ok: NETWORK
  }

  ingress {
    description      = "HTTP, redirected to HTTPS by the listener"
    from_port        = 80
    to_port          = 80
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # ok: NETWORK
  }
}

resource "aws_security_group" "app" {
  name        = "core-app"
  description = "ECS tasks / EKS nodes of the app tier"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name        = "core-db"
  description = "RDS instances"
  vpc_id      = var.vpc_id

  ingress {
    description     = "Postgres from the app tier"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }

  ingress {
    description = "MySQL from inside the VPC (Keycloak on EKS)"
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr] # ok: NETWORK
  }
}

resource "aws_security_group" "reporting_db" {
  name        = "core-reporting-db"
  description = "Reporting replica, reachable by the BI vendor"
  vpc_id      = var.vpc_id

  ingress {
    description = "Postgres for Looker (vendor IPs change too often to list)"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # expect: NETWORK
  }
}

resource "aws_security_group" "cache" {
  name        = "core-cache"
  description = "ElastiCache replication groups"
  vpc_id      = var.vpc_id

  ingress {
    description     = "Redis from the app tier"
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "bastion" {
  name        = "core-bastion"
  description = "SSH bastion"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH from the office"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }

  ingress {
    description = "SSH for on-call from home, see INC-2231"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # expect: NETWORK
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "legacy_vpn" {
  name        = "core-legacy-vpn"
  description = "Old OpenVPN appliance, to be removed in Q3"
  vpc_id      = var.vpc_id

  ingress {
    description = "everything (vendor requirement)"
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # expect: NETWORK
  }
}

resource "aws_security_group_rule" "cache_debug_v6" {
  type              = "ingress"
  description       = "Temporary: redis-cli from the laptop of the on-call engineer"
  security_group_id = aws_security_group.cache.id
  from_port         = 6379
  to_port           = 6379
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/0"] # expect: NETWORK
}

resource "aws_security_group_rule" "app_to_partner_postgres" {
  type              = "egress"
  description       = "App tier reads the partner's hosted Postgres"
  security_group_id = aws_security_group.app.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"] # ok: NETWORK
}

resource "aws_vpc_security_group_ingress_rule" "bastion_rdp" {
  security_group_id = aws_security_group.bastion.id
  description       = "RDP to the Windows jump host"
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0" # expect: NETWORK
}

resource "aws_vpc_security_group_ingress_rule" "alb_https_v6" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS over IPv6 for the dual-stack ALB"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv6         = "::/0" # ok: NETWORK
}
