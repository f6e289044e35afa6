resource "aws_elasticache_subnet_group" "main" {
  name       = "core-cache"
  subnet_ids = var.private_subnet_ids
}

# Web sessions. Losing the primary must not log everybody out.
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "core-sessions"
  description                = "Session store for the web tier"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  port                       = 6379
  parameter_group_name       = "default.redis7"
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.cache.id]
  automatic_failover_enabled = true
  multi_az_enabled           = true
  at_rest_encryption_enabled = true
  kms_key_id                 = var.data_kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = var.sessions_redis_auth_token
  snapshot_retention_limit   = 7
  snapshot_window            = "03:00-04:00"
}

# Token buckets for the public API rate limiter; state is disposable.
resource "aws_elasticache_replication_group" "rate_limiter" { # expect: HA
  replication_group_id       = "core-ratelimit"
  description                = "Rate limiter counters"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.medium"
  num_cache_clusters         = 1
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.cache.id]
  at_rest_encryption_enabled = true
  # the Lua client library we use cannot do TLS yet
  transit_encryption_enabled = false # expect: ENCRYPTION
}

resource "aws_elasticache_replication_group" "feature_flags" { # expect: ENCRYPTION
  replication_group_id       = "core-flags"
  description                = "flagd persistence"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.cache.id]
  automatic_failover_enabled = true
  multi_az_enabled           = true
  transit_encryption_enabled = true
}
