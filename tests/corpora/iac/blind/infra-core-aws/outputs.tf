output "orders_db_endpoint" {
  value = aws_db_instance.orders.address
}

output "public_alb_dns_name" {
  value = aws_lb.public.dns_name
}

output "sessions_redis_endpoint" {
  value = aws_elasticache_replication_group.sessions.primary_endpoint_address
}

output "assets_bucket" {
  value = module.storage.assets_bucket_name
}
