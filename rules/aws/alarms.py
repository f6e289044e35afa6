"""AWS020: a repository-level signal: AWS infrastructure with no alarm declared anywhere."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import (
    CloudFormationTemplate,
    Confidence,
    Context,
    ModuleIndex,
    RepoContext,
    Repository,
    Severity,
    SourceFile,
    Span,
    TerraformFile,
    YamlFile,
)

from ._base import AwsRule

MONITORED_TERRAFORM = (
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_docdb_cluster",
    "aws_redshift_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_replication_group",
    "aws_elasticache_cluster",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_msk_cluster",
    "aws_mq_broker",
    "aws_sqs_queue",
    "aws_kinesis_stream",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_cloudfront_distribution",
    "aws_instance",
    "aws_autoscaling_group",
    "aws_ecs_service",
    "aws_eks_cluster",
    "aws_lambda_function",
    "aws_sfn_state_machine",
)
MONITORED_CLOUDFORMATION = (
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::DocDB::DBCluster",
    "AWS::Redshift::Cluster",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
    "AWS::MSK::Cluster",
    "AWS::AmazonMQ::Broker",
    "AWS::SQS::Queue",
    "AWS::Kinesis::Stream",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::CloudFront::Distribution",
    "AWS::EC2::Instance",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::ECS::Service",
    "AWS::EKS::Cluster",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
)
# Alert definitions, whatever the system that evaluates them.
ALERTS_TERRAFORM = (
    "aws_cloudwatch_metric_alarm",
    "aws_cloudwatch_composite_alarm",
    "aws_prometheus_rule_group_namespace",
    "datadog_monitor",
    "newrelic_alert_condition",
    "newrelic_nrql_alert_condition",
    "grafana_rule_group",
    "signalfx_detector",
)
ALERTS_CLOUDFORMATION = ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm", "AWS::APS::RuleGroupsNamespace")
_ALERT_MODULE_WORDS = ("alarm", "alert", "monitor")


class NoCloudWatchAlarms(AwsRule):
    """AWS infrastructure for which the repository declares no alarm at all.

    ## What it does
    A repository-level signal. Looks at every Terraform module and CloudFormation template
    of the repository for AWS resources that fail in ways worth an alert (databases,
    caches, queues, load balancers, APIs, instances, auto scaling groups, ECS services,
    Lambda functions, ...) and for alert definitions (`aws_cloudwatch_metric_alarm`,
    `aws_cloudwatch_composite_alarm`, `AWS::CloudWatch::Alarm`, a module whose source
    names alarms or monitors, and, from other systems, Datadog monitors, New Relic and
    Grafana alert rules, Amazon Managed Prometheus rule groups and Kubernetes
    `PrometheusRule` objects). When there are resources and no alert anywhere, it reports
    once, at the first such resource, with severity `info`.

    ## Why is this bad?
    Without alarms, a full disk, a queue that stops draining, a wave of 5xx responses or
    a failing database is noticed when users complain. An alarm on the few metrics that
    matter (errors, latency, saturation, queue age) turns that into a page.

    ## Example
    ```terraform
    resource "aws_sqs_queue" "orders" {
      name = "orders"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_sqs_queue" "orders" {
      name = "orders"
    }

    resource "aws_cloudwatch_metric_alarm" "orders_backlog" {
      alarm_name          = "orders-backlog"
      namespace           = "AWS/SQS"
      metric_name         = "ApproximateAgeOfOldestMessage"
      dimensions          = { QueueName = aws_sqs_queue.orders.name }
      statistic           = "Maximum"
      period              = 300
      evaluation_periods  = 1
      threshold           = 600
      comparison_operator = "GreaterThanThreshold"
      alarm_actions       = [aws_sns_topic.oncall.arn]
    }
    ```

    ## Notes
    A signal, not a defect: its absence says only that some alert is declared in the
    repository, not that every resource is covered, and alerts kept in another
    repository or tool are invisible here. The readiness report reads it as the
    `alerting` item: a finding of this rule means "signal absent", its absence from a
    scan that ran the rule over AWS resources means "signal present".
    """

    id = "AWS020"
    name = "no-cloudwatch-alarms"
    summary = "AWS resources declared with no alarm anywhere in the repository"
    checklist = ("alerting",)
    severity = Severity.INFO
    confidence = Confidence.MEDIUM
    cwe = (778,)
    references = ("https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",)
    tags = ("signal",)
    collect_triggers = (
        *MONITORED_TERRAFORM,
        *ALERTS_TERRAFORM,
        *MONITORED_CLOUDFORMATION,
        *ALERTS_CLOUDFORMATION,
        "module",
        "PrometheusRule",
    )

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        if isinstance(file, TerraformFile):
            return self._terraform(file)
        return super().collect(file, ctx)

    def _terraform(self, file: TerraformFile) -> Any:
        monitored: list[Any] = []
        alerts = 0
        for block in file.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                if block.labels[0] in ALERTS_TERRAFORM:
                    alerts += 1
                elif block.labels[0] in MONITORED_TERRAFORM:
                    monitored.append([block.address, block.header_span])
            elif block.type == "module":
                source = block.attributes.get("source")
                text = source.value.lower() if source is not None and isinstance(source.value, str) else ""
                if any(word in text for word in _ALERT_MODULE_WORDS):
                    alerts += 1
        return {"monitored": monitored, "alerts": alerts} if monitored or alerts else None

    def collect_template(self, template: CloudFormationTemplate) -> Any:
        monitored = [
            [f"{resource.logical_id} ({resource.type})", resource.id_span]
            for resource in template.resources_of(*MONITORED_CLOUDFORMATION)
        ]
        alerts = len(template.resources_of(*ALERTS_CLOUDFORMATION))
        return {"monitored": monitored, "alerts": alerts} if monitored or alerts else None

    def collect_other(self, file: SourceFile, ctx: Context) -> Any:
        if isinstance(file, YamlFile):
            for document in file.documents:
                if isinstance(document, dict) and document.get("kind") == "PrometheusRule":
                    return {"monitored": [], "alerts": 1}
        return None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        monitored: list[tuple[str, Span, str]] = []
        for path, facts in sorted(repo.facts.items()):
            if not isinstance(facts, dict):
                continue
            if facts.get("alerts"):
                return
            monitored.extend((path, span, name) for name, span in facts.get("monitored", ()))
        if not monitored:
            return
        path, span, name = min(monitored, key=lambda item: (item[0], item[1].line))
        others = len(monitored) - 1
        more = f" and {others} other resource{'s' if others != 1 else ''}" if others else ""
        ctx.report(
            path,
            span,
            f"no alarm is declared anywhere in the repository for {name}{more}: failures are noticed when users "
            "report them; add aws_cloudwatch_metric_alarm (AWS::CloudWatch::Alarm) resources on errors, latency, "
            "saturation and queue age, with actions that page someone",
        )

    def check_module(self, index: ModuleIndex, side) -> None:  # the judgement is check_repo's
        return None
