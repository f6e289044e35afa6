"""AWS017-AWS018: what a VPC exposes: admin and database ports open to the internet, and
load balancers serving plain HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs
from prodready_lint.sdk import (
    NOT_LITERAL,
    CfnList,
    CfnMapping,
    Intrinsic,
    ModuleIndex,
    Option,
    Severity,
    Span,
    TerraformBlock,
    TerraformNode,
    cfn_values,
    terraform_structure,
)

from ._base import UNKNOWN, AwsRule, CloudFormationSide, Setting, TerraformSide, to_int

# Ports an attacker scans for first: remote administration, databases, caches, search,
# message brokers and orchestration control planes.
ADMIN_PORTS: dict[int, str] = {
    20: "FTP data",
    21: "FTP",
    22: "SSH",
    23: "Telnet",
    135: "MS RPC",
    139: "NetBIOS",
    445: "SMB",
    1433: "SQL Server",
    1434: "SQL Server browser",
    1521: "Oracle",
    2049: "NFS",
    2375: "Docker API",
    2376: "Docker API (TLS)",
    2379: "etcd",
    2380: "etcd peers",
    3306: "MySQL",
    3389: "RDP",
    4333: "mSQL",
    5432: "PostgreSQL",
    5601: "Kibana",
    5672: "AMQP",
    5900: "VNC",
    5984: "CouchDB",
    5985: "WinRM",
    5986: "WinRM (TLS)",
    6379: "Redis",
    6443: "Kubernetes API",
    7000: "Cassandra",
    7001: "Cassandra (TLS)",
    8020: "HDFS",
    8086: "InfluxDB",
    8888: "Jupyter",
    9042: "Cassandra CQL",
    9092: "Kafka",
    9200: "Elasticsearch",
    9300: "Elasticsearch transport",
    10250: "kubelet",
    11211: "Memcached",
    15672: "RabbitMQ management",
    27017: "MongoDB",
    27018: "MongoDB",
    27019: "MongoDB",
    50070: "HDFS web UI",
}
WORLD = frozenset({"0.0.0.0/0", "::/0", "0::/0", "::0/0", "0000:0000:0000:0000:0000:0000:0000:0000/0"})
_ALL_PROTOCOLS = frozenset({"-1", "all"})
_PORTLESS = frozenset({"icmp", "icmpv6", "1", "58"})


@attrs.frozen(slots=True)
class Ingress:
    """One ingress rule as both languages write it: protocol and ports as plain values
    (UNKNOWN when computed) and every source CIDR with where it is written."""

    protocol: Any
    from_port: Any
    to_port: Any
    sources: tuple[tuple[Any, Span, bool], ...]  # (cidr or list of cidrs, span, from a default)
    label: str


def _ports(protocol: Any, from_port: Any, to_port: Any, watched: dict[int, str]) -> list[int] | None:
    """The watched ports a rule opens, or None when the source does not say."""
    text = str(protocol).lower() if protocol is not UNKNOWN and protocol is not None else None
    if text in _ALL_PROTOCOLS or protocol == -1:
        return sorted(watched)
    if text is None or text in _PORTLESS:
        return None
    low, high = to_int(from_port), to_int(to_port)
    if low is None or high is None:
        return None
    if low == -1 and high == -1:  # "all ports" for TCP/UDP in some tools
        return sorted(watched)
    return [port for port in sorted(watched) if low <= port <= high]


def _describe(ports: list[int], watched: dict[int, str]) -> str:
    if len(ports) == len(watched):
        return "every port, SSH (22) and RDP (3389) included"
    named = [f"{watched[port]} ({port})" for port in ports[:4]]
    more = f" and {len(ports) - 4} more" if len(ports) > 4 else ""
    return ", ".join(named) + more


class SecurityGroupAdminPortOpen(AwsRule):
    """A security group that lets the whole internet reach an admin or database port.

    ## What it does
    Checks ingress rules (the `ingress` blocks of `aws_security_group`,
    `aws_security_group_rule` of type `ingress`, `aws_vpc_security_group_ingress_rule`,
    and CloudFormation `AWS::EC2::SecurityGroup` `SecurityGroupIngress` and
    `AWS::EC2::SecurityGroupIngress`) whose source is `0.0.0.0/0` or `::/0` and whose
    port range covers a remote-administration, database, cache, search or broker port
    (SSH 22, RDP 3389, MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521,
    Redis 6379, Memcached 11211, MongoDB 27017, Elasticsearch 9200, Kibana 5601, the
    Docker API 2375/2376, ...). A rule for all protocols opens them all. The finding
    points at the CIDR that opens the rule.

    ## Why is this bad?
    These ports are scanned across the whole IPv4 space within minutes of an address
    appearing: an exposed SSH or RDP endpoint meets credential stuffing, an exposed
    database, Redis or Docker API is often taken over without any credential at all.

    ## Example
    ```terraform
    resource "aws_security_group" "bastion" {
      name = "bastion"

      ingress {
        from_port   = 22
        to_port     = 22
        protocol    = "tcp"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_security_group" "bastion" {
      name = "bastion"

      ingress {
        from_port   = 22
        to_port     = 22
        protocol    = "tcp"
        cidr_blocks = [var.office_cidr]
      }
    }
    ```

    ## Notes
    HTTP and HTTPS (80, 443) open to the world are what a public load balancer does and
    are not reported; egress is not checked. CIDRs from a variable are judged by its
    default when the module gives one, with lower confidence.
    """

    id = "AWS017"
    name = "security-group-admin-port-open"
    summary = "Security group opening an admin or database port to 0.0.0.0/0 or ::/0"
    checklist = ("network-exposure",)
    severity = Severity.HIGH
    cwe = (284,)
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",)
    options = (
        Option(
            "ports",
            "list[str]",
            [],
            "Ports to watch instead of the built-in list of admin and database ports (e.g. ['22', '5432']).",
        ),
        Option("extra-ports", "list[str]", [], "Ports to watch in addition to the built-in list."),
    )
    terraform_types = ("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule")
    terraform_attributes = {
        "aws_security_group": ("ingress",),
        "aws_security_group_rule": (
            *("type", "protocol", "from_port", "to_port", "cidr_blocks", "ipv6_cidr_blocks", "security_group_id"),
        ),
        "aws_vpc_security_group_ingress_rule": (
            *("ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6", "security_group_id"),
        ),
    }
    cloudformation_types = ("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress")

    @property
    def watched(self) -> dict[int, str]:
        chosen = self.settings["ports"]
        ports = {int(p): ADMIN_PORTS.get(int(p), "port") for p in chosen if p.strip().isdigit()} if chosen else {}
        ports = ports or dict(ADMIN_PORTS)
        for extra in self.settings["extra-ports"]:
            if extra.strip().isdigit():
                ports.setdefault(int(extra), "port")
        return ports

    # -- where a group is attached -------------------------------------------------------------
    #
    # A group attached only to load balancers exposes nothing but their listeners: a load
    # balancer has no SSH daemon or database behind an arbitrary port, so an all-ports rule
    # on it opens no admin port. Attachments are collected from every resource of a file,
    # whatever its type, as (referring type, referred group) pairs.

    def collect_terraform(self, file) -> Any:
        summary = super().collect_terraform(file)
        attachments = sorted(
            {
                (block.labels[0] if block.type == "resource" else block.type, _group_name(reference))
                for block in file.blocks
                if block.type in ("resource", "module", "output", "locals") and (block.labels or block.type == "locals")
                for reference in block.references
                if reference.startswith("aws_security_group.")
            }
        )
        if not attachments:
            return summary
        summary = summary or {"summary": 1, "syntax": file.syntax, "attributes": [], "blocks": []}
        summary["security_group_attachments"] = [list(pair) for pair in attachments]
        return summary

    def check_repo(self, repo, ctx) -> None:
        self._attached: dict[tuple[str, str], set[str]] = {}
        for path, facts in repo.facts.items():
            if isinstance(facts, dict):
                module = path.rsplit("/", 1)[0] if "/" in path else ""
                for kind, name in facts.get("security_group_attachments", ()):
                    self._attached.setdefault((module, name), set()).add(kind)
        super().check_repo(repo, ctx)

    def _tf_only_load_balancers(self, resource: TerraformBlock, side: TerraformSide) -> bool:
        if resource.labels[0] == "aws_security_group":
            group = resource.labels[1]
        else:
            attribute = resource.attributes.get("security_group_id")
            targets = [r for r in (attribute.references if attribute else ()) if r.startswith("aws_security_group.")]
            if len(targets) != 1:
                return False
            group = _group_name(targets[0])
        module = resource.path.rsplit("/", 1)[0] if "/" in resource.path else ""
        kinds = self._attached.get((module, group), set()) - _TF_GROUP_TYPES
        return bool(kinds) and kinds <= _TF_BALANCERS

    def _cfn_only_load_balancers(self, resource, side: CloudFormationSide) -> bool:
        template = side.template
        if resource.type == "AWS::EC2::SecurityGroup":
            group = resource.logical_id
        else:
            target = resource.get("GroupId")
            group = target.target if isinstance(target, Intrinsic) else None
            if group is None:
                return False
        if any(_mentions(output, group) for output in template.outputs.values()):
            return False  # exported: other stacks may attach it
        kinds = {r.type for r in template.referencing(group)} - _CFN_GROUP_TYPES
        return bool(kinds) and kinds <= _CFN_BALANCERS

    def check_module(self, index: ModuleIndex, side: TerraformSide) -> None:
        self._watched = self.watched
        super().check_module(index, side)

    def check_template(self, template, side: CloudFormationSide) -> None:
        self._watched = self.watched
        super().check_template(template, side)

    # -- Terraform --------------------------------------------------------------------------

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        kind = resource.labels[0]
        if self._tf_only_load_balancers(resource, side):
            return
        if kind == "aws_security_group":
            for index, block in enumerate(resource.nested("ingress")):
                self._judge(side, resource, self._tf_block_rule(side, block, f"ingress rule {index + 1}"))
            ingress = resource.attributes.get("ingress")
            if ingress is not None:  # ingress = [{...}] (attributes as blocks)
                node = terraform_structure(ingress, native=not resource.path.endswith(".json"))
                for index, item in enumerate(node.items if node.kind == "tuple" else ()):
                    if item.kind == "object":
                        self._judge(side, resource, self._tf_object_rule(item, f"ingress rule {index + 1}"))
        elif kind == "aws_security_group_rule":
            if side.setting(resource, "type").as_str() == "ingress":
                self._judge(side, resource, self._tf_block_rule(side, resource, "rule"))
        else:
            self._judge(side, resource, self._tf_vpc_rule(side, resource))

    def _tf_block_rule(self, side: TerraformSide, block: TerraformBlock, label: str) -> Ingress:
        protocol, low, high = (side.setting(block, name) for name in ("protocol", "from_port", "to_port"))
        sources = tuple(_source(side.setting(block, name)) for name in ("cidr_blocks", "ipv6_cidr_blocks"))
        return Ingress(protocol.value, low.value, high.value, tuple(s for s in sources if s), label)

    def _tf_vpc_rule(self, side: TerraformSide, block: TerraformBlock) -> Ingress:
        protocol, low, high = (side.setting(block, name) for name in ("ip_protocol", "from_port", "to_port"))
        sources = tuple(_source(side.setting(block, name)) for name in ("cidr_ipv4", "cidr_ipv6"))
        return Ingress(protocol.value, low.value, high.value, tuple(s for s in sources if s), "rule")

    def _tf_object_rule(self, item: TerraformNode, label: str) -> Ingress:
        def value(name: str) -> Any:
            node = item.get(name)
            return node.value if node is not None and node.kind == "literal" else UNKNOWN

        sources = []
        for name in ("cidr_blocks", "ipv6_cidr_blocks"):
            node = item.get(name)
            if node is not None and node.kind == "tuple":
                literal = node.literal
                sources.append((UNKNOWN if literal is NOT_LITERAL else literal, item.key_span(name), False))
        return Ingress(value("protocol"), value("from_port"), value("to_port"), tuple(sources), label)

    # -- CloudFormation ---------------------------------------------------------------------

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if self._cfn_only_load_balancers(resource, side):
            return
        if resource.type == "AWS::EC2::SecurityGroupIngress":
            self._judge(side, resource, self._cfn_rule(side, resource, resource.properties, "rule"))
            return
        rules = resource.get("SecurityGroupIngress")
        if isinstance(rules, CfnList):
            for index, rule in enumerate(rules):
                if isinstance(rule, CfnMapping):
                    self._judge(side, resource, self._cfn_rule(side, resource, rule, f"ingress rule {index + 1}"))

    def _cfn_rule(self, side: CloudFormationSide, resource: Any, rule: CfnMapping, label: str) -> Ingress:
        def value(name: str) -> tuple[Any, bool]:
            if name not in rule:
                return None, False
            resolved = side.template.resolve(rule[name])
            if isinstance(resolved.value, Intrinsic):
                return UNKNOWN, False
            return resolved.value, resolved.from_default

        sources = []
        for name in ("CidrIp", "CidrIpv6"):
            if name in rule:
                cidr, defaulted = value(name)
                sources.append((cidr, rule.key_span(name), defaulted))
        return Ingress(value("IpProtocol")[0], value("FromPort")[0], value("ToPort")[0], tuple(sources), label)

    # -- judgement ----------------------------------------------------------------------------

    def _judge(self, side: Any, resource: Any, rule: Ingress) -> None:
        open_source = next((s for s in rule.sources if _opens_world(s[0])), None)
        if open_source is None:
            return
        watched = self._watched
        ports = _ports(rule.protocol, rule.from_port, rule.to_port, watched)
        if not ports:
            return
        _, span, defaulted = open_source
        setting = Setting("cidr", True, span, from_default=defaulted)
        side.report(
            resource,
            setting,
            f"security group {side.label(resource)} ({rule.label}) opens {_describe(ports, watched)} to the whole "
            "internet; allow only known CIDRs or security groups, and reach admin ports through SSM Session "
            "Manager or a VPN",
        )


_TF_BALANCERS = frozenset({"aws_lb", "aws_alb", "aws_elb"})
_TF_GROUP_TYPES = frozenset(
    {
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
    }
)
_CFN_BALANCERS = frozenset({"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"})
_CFN_GROUP_TYPES = frozenset(
    {"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"}
)


def _group_name(reference: str) -> str:
    """``web`` for ``aws_security_group.web[0].id``."""
    return reference.split("[", 1)[0].split(".")[1]


def _mentions(value: Any, name: str) -> bool:
    """Whether a template value names ``name`` through a reference function."""
    return any(isinstance(item, Intrinsic) and name in item.references for item in cfn_values(value))


def _source(setting: Setting) -> tuple[Any, Span, bool] | None:
    if not setting.present:
        return None
    return (setting.value, setting.span, setting.from_default)


def _opens_world(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() in WORLD
    if isinstance(value, list):
        return any(isinstance(item, str) and item.strip() in WORLD for item in value)
    return False


# -- load balancers ----------------------------------------------------------------------------------


class LoadBalancerHttpWithoutRedirect(AwsRule):
    """A load balancer listener serving plain HTTP instead of redirecting to HTTPS.

    ## What it does
    Checks `aws_lb_listener` / `aws_alb_listener` and `AWS::ElasticLoadBalancingV2::Listener`
    with protocol `HTTP` whose default action is neither a redirect to `HTTPS` nor a
    fixed response, and the `HTTP` listeners of classic load balancers (`aws_elb`,
    `AWS::ElasticLoadBalancing::LoadBalancer`), which cannot redirect. The finding points
    at the protocol.

    ## Why is this bad?
    Over plain HTTP, session cookies, tokens and form posts cross the network in clear
    text and can be read or changed by anyone on the path (public Wi-Fi, a compromised
    router). Users who type the bare domain land on HTTP first: the listener on port 80
    should only send them to HTTPS.

    ## Example
    ```terraform
    resource "aws_lb_listener" "http" {
      load_balancer_arn = aws_lb.web.arn
      port              = 80
      protocol          = "HTTP"

      default_action {
        type             = "forward"
        target_group_arn = aws_lb_target_group.web.arn
      }
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_lb_listener" "http" {
      load_balancer_arn = aws_lb.web.arn
      port              = 80
      protocol          = "HTTP"

      default_action {
        type = "redirect"
        redirect {
          port        = "443"
          protocol    = "HTTPS"
          status_code = "HTTP_301"
        }
      }
    }
    ```

    ## Notes
    The finding points at the listener's first line, since the redirect is what is missing;
    at the redirect's `protocol` when a redirect names another protocol than HTTPS.
    A listener of an internal load balancer (`internal = true` on the `aws_lb` or
    `aws_elb`, `Scheme: internal` on the CloudFormation load balancer it names) is reported
    with low severity: the traffic stays in the VPC, but is still readable there.
    """

    id = "AWS018"
    name = "load-balancer-http-without-redirect"
    summary = "Load balancer listener serving HTTP without a redirect to HTTPS"
    checklist = ("tls",)
    severity = Severity.MEDIUM
    cwe = (319,)
    references = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",)
    terraform_types = ("aws_lb_listener", "aws_alb_listener", "aws_elb")
    terraform_attributes = {
        **dict.fromkeys(
            ("aws_lb_listener", "aws_alb_listener"),
            ("protocol", "default_action", "dynamic", "certificate_arn", "ssl_policy", "load_balancer_arn"),
        ),
        "aws_elb": ("listener", "internal"),
        "aws_lb": ("internal", "load_balancer_type"),
        "aws_alb": ("internal", "load_balancer_type"),
    }
    terraform_context = ("aws_lb", "aws_alb")
    cloudformation_types = ("AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancing::LoadBalancer")
    _FIX = "redirect HTTP to HTTPS (a redirect default action with protocol HTTPS) and serve on an HTTPS listener"

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        label = side.label(resource)
        if resource.labels[0] == "aws_elb":
            severity = Severity.LOW if side.setting(resource, "internal").as_bool() else None
            for listener in resource.nested("listener"):
                protocol = side.setting(listener, "lb_protocol")
                if (protocol.as_str() or "").lower() == "http":
                    side.report(
                        resource,
                        protocol,
                        f"classic load balancer {label} listens on HTTP ({protocol.shown}): traffic travels in clear "
                        "text and a classic ELB cannot redirect; use an ALB with an HTTPS listener and a redirect",
                        severity=severity,
                    )
            return
        balancer = self._balancer(side, resource)
        protocol = side.setting(resource, "protocol")
        if protocol.present:
            if (protocol.as_str() or "").upper() != "HTTP":
                return
            served = protocol.shown
        elif (
            resource.has("certificate_arn")
            or resource.has("ssl_policy")
            or (
                balancer is not None
                and (side.setting(balancer, "load_balancer_type").as_str() or "application") != "application"
            )
        ):
            return  # TLS configured, or a network or gateway load balancer (they have no HTTP)
        else:
            served = "HTTP (no protocol: an application load balancer's default)"
        if any(block.type == "dynamic" for block in resource.blocks):
            return  # actions generated from a variable: unknown here
        actions = resource.nested("default_action")
        at: Any = resource.header_span  # the redirect is what is missing: the listener's first line
        for action in actions:
            kind = (side.setting(action, "type").as_str() or "").lower()
            if kind == "fixed-response":
                return
            if kind == "redirect":
                target = side.setting(action, "redirect.protocol")
                if target.present and (not target.known or (target.as_str() or "").upper() == "HTTPS"):
                    return
                at = target  # the redirect's own protocol is what should say HTTPS
        severity = Severity.LOW if balancer is not None and side.setting(balancer, "internal").as_bool() else None
        side.report(
            resource,
            at,
            f"listener {label} serves {served} without redirecting to HTTPS: requests and cookies travel in clear "
            f"text; {self._FIX}",
            severity=severity,
        )

    @staticmethod
    def _balancer(side: TerraformSide, listener: TerraformBlock) -> TerraformBlock | None:
        """The ``aws_lb`` the listener belongs to, when the module defines it."""
        arn = listener.attributes.get("load_balancer_arn")
        for reference in arn.references if arn is not None else ():
            balancer = side.index.resolve(listener, reference)
            if balancer is not None and balancer.type == "resource":
                return balancer
        return None

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        label = side.label(resource)
        if resource.type == "AWS::ElasticLoadBalancing::LoadBalancer":
            listeners = resource.get("Listeners")
            severity = Severity.LOW if _internal_scheme(side, resource) else None
            for listener in _mappings(listeners):
                protocol = listener.field("Protocol")
                if protocol is not None and str(protocol.value).lower() == "http":
                    side.report(
                        resource,
                        protocol.key_span,
                        f"classic load balancer {label} listens on HTTP: traffic travels in clear text and a classic "
                        "ELB cannot redirect; use an ALB with an HTTPS listener and a redirect",
                        severity=severity,
                    )
            return
        protocol = side.setting(resource, "Protocol")
        if (protocol.as_str() or "").upper() != "HTTP":
            return
        actions = resource.get("DefaultActions")
        if isinstance(actions, Intrinsic):
            return  # chosen by a condition: unknown here
        for action in _mappings(actions):
            kind = str(action.get("Type", "")).lower()
            if kind == "fixed-response":
                return
            if kind == "redirect":
                config = action.get("RedirectConfig")
                target = config.get("Protocol") if isinstance(config, CfnMapping) else None
                if not isinstance(target, str) or target.upper() == "HTTPS":
                    return
        arn = resource.get("LoadBalancerArn")
        balancer = side.template.resource(arn.target) if isinstance(arn, Intrinsic) and arn.target else None
        side.report(
            resource,
            resource.id_span,  # the redirect is what is missing: the listener's first line
            f"listener {label} serves HTTP without redirecting to HTTPS: requests and cookies travel in clear text; "
            f"{self._FIX}",
            severity=Severity.LOW if balancer is not None and _internal_scheme(side, balancer) else None,
        )


def _internal_scheme(side: CloudFormationSide, balancer: Any) -> bool:
    """An internal load balancer (``Scheme: internal``): reachable only inside its VPC."""
    return (side.setting(balancer, "Scheme").as_str() or "").lower() == "internal"


def _mappings(value: Any) -> Iterator[CfnMapping]:
    if isinstance(value, Iterable) and not isinstance(value, (str, CfnMapping)):
        for item in value:
            if isinstance(item, CfnMapping):
                yield item
