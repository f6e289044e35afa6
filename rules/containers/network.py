"""K8S007-K8S008: what a cluster exposes, and without TLS (checklists ``network-exposure``, ``tls``)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Context,
    KubeObject,
    Rule,
    Severity,
    YamlFile,
    YamlMapping,
    YamlSequence,
    kube_objects,
    yaml_bool,
)

from ._common import CWE_CLEARTEXT, CWE_EXPOSURE, YAML, describe_object, first_line, key_value_span

# Data stores, brokers and admin or control-plane ports: what must never face the internet.
SENSITIVE_PORTS: Mapping[int, str] = {
    22: "SSH",
    23: "Telnet",
    1433: "SQL Server",
    1521: "Oracle",
    2181: "ZooKeeper",
    2375: "the Docker API",
    2376: "the Docker API",
    2379: "etcd",
    2380: "etcd",
    3306: "MySQL",
    3389: "RDP",
    4369: "Erlang epmd",
    5432: "PostgreSQL",
    5433: "PostgreSQL",
    5601: "Kibana",
    5672: "AMQP (RabbitMQ)",
    5900: "VNC",
    5984: "CouchDB",
    6379: "Redis",
    6380: "Redis",
    6443: "the Kubernetes API",
    7474: "Neo4j",
    7687: "Neo4j",
    8086: "InfluxDB",
    8123: "ClickHouse",
    8529: "ArangoDB",
    9042: "Cassandra",
    9092: "Kafka",
    9200: "Elasticsearch",
    9300: "Elasticsearch",
    10250: "the kubelet",
    11211: "Memcached",
    15672: "the RabbitMQ management UI",
    26257: "CockroachDB",
    26379: "Redis Sentinel",
    27017: "MongoDB",
    27018: "MongoDB",
    27019: "MongoDB",
    28015: "RethinkDB",
}
_SENSITIVE_NAMES = {
    "postgres": "PostgreSQL",
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "mariadb": "MariaDB",
    "redis": "Redis",
    "mongo": "MongoDB",
    "mongodb": "MongoDB",
    "memcached": "Memcached",
    "cassandra": "Cassandra",
    "ssh": "SSH",
    "admin": "an admin port",
    "management": "a management port",
    "debug": "a debug port",
    "pprof": "a profiling port",
    "jmx": "JMX",
}
# Annotations that make a cloud load balancer internal (reachable only inside the network).
_INTERNAL_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": None,
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "networking.gke.io/load-balancer-type": "Internal",
    "cloud.google.com/load-balancer-type": "Internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal": None,
    "service.beta.kubernetes.io/oci-load-balancer-internal": None,
    "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type": "private",
    "service.beta.kubernetes.io/openstack-internal-load-balancer": None,
    "service.beta.kubernetes.io/do-loadbalancer-type": "internal",
}


def _internal(obj: KubeObject) -> bool:
    for key, wanted in _INTERNAL_ANNOTATIONS.items():
        value = obj.annotations.get(key)
        if value is None:
            continue
        if wanted is None and (yaml_bool(value) is True or value in ("0.0.0.0/0",)):
            return True
        if isinstance(value, str) and wanted is not None and value.lower() == wanted.lower():
            return True
    return False


def _private_ranges(spec: YamlMapping) -> bool:
    """``loadBalancerSourceRanges`` written, and every range private."""
    ranges = spec.get("loadBalancerSourceRanges")
    if not isinstance(ranges, YamlSequence) or not ranges:
        return False
    for item in ranges:
        try:
            network = ipaddress.ip_network(str(item).strip(), strict=False)
        except ValueError:
            return False
        if not (network.is_private or network.is_loopback) or network.prefixlen == 0:
            return False
    return True


def _what(port: Mapping[str, Any]) -> str | None:
    for key in ("port", "targetPort"):
        value = port.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value in SENSITIVE_PORTS:
            return f"{SENSITIVE_PORTS[value]} ({value})"
    for key in ("name", "targetPort"):
        value = port.get(key)
        if isinstance(value, str):
            words = value.lower().replace("_", "-").split("-")
            for word in words:
                if word in _SENSITIVE_NAMES:
                    return f"{_SENSITIVE_NAMES[word]} (port {value!r})"
    return None


class ExposedSensitivePort(Rule):
    """A LoadBalancer or NodePort Service that exposes a database or admin port.

    ## What it does
    Checks Services of type `LoadBalancer` and `NodePort` for ports (`port` or
    `targetPort`) of data stores, brokers and admin interfaces: PostgreSQL 5432, MySQL
    3306, Redis 6379, MongoDB 27017, Elasticsearch 9200, Kafka 9092, etcd 2379, SSH 22,
    RDP 3389, the Docker API 2375, the kubelet 10250 and others, or ports named after
    them (`postgres`, `redis`, `admin`, `debug`...). One finding per port.

    ## Why is this bad?
    A LoadBalancer Service gets a public address by default, and a NodePort opens the
    port on every node: the database or admin interface is then reachable from the
    internet, where it is scanned within minutes and brute-forced or exploited.

    ## Example
    ```yaml
    apiVersion: v1
    kind: Service
    metadata:
      name: orders-db
    spec:
      type: LoadBalancer
      selector: {app: orders-db}
      ports:
        - name: postgres
          port: 5432
    ```

    ## Use instead
    ```yaml
    apiVersion: v1
    kind: Service
    metadata:
      name: orders-db
    spec:
      type: ClusterIP
      selector: {app: orders-db}
      ports:
        - name: postgres
          port: 5432
    ```

    ## Notes
    Internal load balancers (the AWS, GKE, Azure, OCI, IBM, OpenStack and DigitalOcean
    annotations) and load balancers restricted by `loadBalancerSourceRanges` to private
    networks are not reported. A NodePort is only reachable from outside if the nodes
    are, so its findings carry medium confidence.
    """

    id = "K8S007"
    name = "exposed-sensitive-port"
    summary = "LoadBalancer or NodePort Service exposes a database or admin port"
    checklist = ("network-exposure",)
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE_EXPOSURE
    kinds = YAML
    triggers = ("LoadBalancer", "NodePort")
    references = ("https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for obj in kube_objects(file):
            spec = obj.spec
            if obj.kind != "Service" or obj.group != "" or spec is None:
                continue
            kind = spec.get("type")
            if kind not in ("LoadBalancer", "NodePort"):
                continue
            if kind == "LoadBalancer" and (_internal(obj) or _private_ranges(spec)):
                continue
            ports = spec.get("ports")
            if not isinstance(ports, YamlSequence):
                continue
            confidence = Confidence.HIGH if kind == "LoadBalancer" else Confidence.MEDIUM
            reach = "on a public load balancer" if kind == "LoadBalancer" else "on every node's address (NodePort)"
            for index, port in enumerate(ports):
                if not isinstance(port, YamlMapping):
                    continue
                what = _what(port)
                if what is None:
                    continue
                at = key_value_span(port, "port") if "port" in port else first_line(ports.item_span(index))
                ctx.report(
                    at,
                    f"{describe_object(obj)} exposes {what} {reach}; make it ClusterIP, an internal load balancer or "
                    "restrict loadBalancerSourceRanges, and reach it through a private network or a bastion",
                    confidence=confidence,
                )


# Ingress controllers that terminate TLS from annotations instead of `spec.tls`.
_TLS_ANNOTATIONS = (
    "alb.ingress.kubernetes.io/certificate-arn",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "networking.gke.io/managed-certificates",
    "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
    "appgw.ingress.kubernetes.io/appgw-trusted-root-certificate",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-cert",
)


_NGINX = "nginx.ingress.kubernetes.io/"


def _tls_by_annotation(obj: KubeObject) -> bool:
    """TLS terminated by the controller or in front of it, as annotations say: a
    certificate annotation, Traefik's TLS router, or ingress-nginx's
    ``force-ssl-redirect`` (TLS offloaded upstream, plain HTTP redirected). An ALB
    certificate does not count when ``listen-ports`` opens no HTTPS port."""
    annotations = obj.annotations
    if yaml_bool(annotations.get(_NGINX + "force-ssl-redirect")) is True:
        return True
    if any(annotations.get(key) for key in _TLS_ANNOTATIONS):
        ports = annotations.get("alb.ingress.kubernetes.io/listen-ports")
        return not (isinstance(ports, str) and "HTTPS" not in ports.upper())
    if yaml_bool(annotations.get("traefik.ingress.kubernetes.io/router.tls")) is True:
        return True
    entrypoints = annotations.get("traefik.ingress.kubernetes.io/router.entrypoints")
    return isinstance(entrypoints, str) and entrypoints.strip() in ("websecure", "https")


def _covered(host: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern == host:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]) and host.count(".") == pattern.count("."):
            return True
    return False


class IngressWithoutTls(Rule):
    """An Ingress, Gateway or Route that serves plain HTTP only.

    ## What it does
    Checks Ingress objects for `spec.tls` (or a controller's TLS annotation: AWS ALB
    `certificate-arn` with an HTTPS listen port, GKE pre-shared or managed
    certificates, Azure Application Gateway, Traefik `router.tls`, ingress-nginx
    `force-ssl-redirect: "true"` for TLS ended in front of the controller), and reports
    each host of the rules that no `tls` entry covers when every entry lists its hosts.
    Also reported: an Ingress with TLS whose `ssl-redirect: "false"` keeps serving plain
    HTTP beside it (medium confidence); Gateway API `Gateway` objects with no `HTTPS` or
    `TLS` listener; Istio `Gateway` servers on `HTTP` without `tls.httpsRedirect: true`;
    OpenShift `Route`s without `spec.tls` or with `insecureEdgeTerminationPolicy: Allow`.

    ## Why is this bad?
    Without TLS, credentials, session cookies and personal data cross the network in
    clear text, readable and changeable by anyone on the path.

    ## Example
    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: shop
    spec:
      ingressClassName: nginx
      rules:
        - host: shop.example.com
          http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: shop, port: {number: 80}}
    ```

    ## Use instead
    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: shop
      annotations:
        cert-manager.io/cluster-issuer: letsencrypt
    spec:
      ingressClassName: nginx
      tls:
        - hosts: [shop.example.com]
          secretName: shop-tls
      rules:
        - host: shop.example.com
          http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: shop, port: {number: 80}}
    ```

    ## Notes
    A missing `tls` is reported at the object's first line; an uncovered host at the
    host; a plain listener or server at its `protocol`; an annotation or policy that
    lets HTTP through at its key. ingress-nginx's `ssl-redirect: "true"` does not
    count as TLS: it redirects only when the Ingress has a `tls` section. A
    cert-manager annotation does not either: cert-manager issues certificates for the
    hosts of `spec.tls` only. A Gateway API `HTTP` listener beside an `HTTPS` one is
    not reported, as its redirect lives in an `HTTPRoute`.
    """

    id = "K8S008"
    name = "ingress-without-tls"
    summary = "Ingress, Gateway or Route serves plain HTTP without TLS"
    checklist = ("tls",)
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_CLEARTEXT
    kinds = YAML
    triggers = ("Ingress", "Gateway", "Route")
    references = (
        "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        "https://gateway-api.sigs.k8s.io/guides/tls/",
    )

    def check(self, file: YamlFile, ctx: Context) -> None:
        for obj in kube_objects(file):
            spec = obj.spec
            if spec is None:
                continue
            if obj.kind == "Ingress" and obj.group in ("networking.k8s.io", "extensions"):
                self._ingress(obj, spec, ctx)
            elif obj.kind == "Gateway" and obj.group == "gateway.networking.k8s.io":
                self._gateway(obj, spec, ctx)
            elif obj.kind == "Gateway" and obj.group == "networking.istio.io":
                self._istio_gateway(obj, spec, ctx)
            elif obj.kind == "Route" and obj.group == "route.openshift.io":
                self._route(obj, spec, ctx)

    def _route(self, obj: KubeObject, spec: YamlMapping, ctx: Context) -> None:
        tls = spec.get("tls")
        if not tls:
            ctx.report(
                obj.span,
                f"{describe_object(obj)} has no spec.tls, so it serves plain HTTP; set tls.termination: edge "
                "(or reencrypt) with insecureEdgeTerminationPolicy: Redirect",
            )
        elif isinstance(tls, YamlMapping) and str(tls.get("insecureEdgeTerminationPolicy")).lower() == "allow":
            ctx.report(
                key_value_span(tls, "insecureEdgeTerminationPolicy"),
                f"{describe_object(obj)} sets insecureEdgeTerminationPolicy: Allow, so it also serves plain HTTP; "
                "set it to Redirect",
            )

    def _istio_gateway(self, obj: KubeObject, spec: YamlMapping, ctx: Context) -> None:
        servers = spec.get("servers")
        if not isinstance(servers, YamlSequence):
            return
        for server in servers:
            port = server.get("port") if isinstance(server, YamlMapping) else None
            protocol = port.get("protocol") if isinstance(port, YamlMapping) else None
            if not isinstance(protocol, str) or protocol.upper() not in ("HTTP", "HTTP2"):
                continue
            tls = server.get("tls")
            if isinstance(tls, YamlMapping) and yaml_bool(tls.get("httpsRedirect")) is True:
                continue
            ctx.report(
                key_value_span(port, "protocol"),
                f"{describe_object(obj)} serves plain {protocol} on port {port.get('number')} without "
                "tls.httpsRedirect: true; redirect it to an HTTPS server (tls.mode: SIMPLE with a credentialName)",
            )

    def _ingress(self, obj: KubeObject, spec: YamlMapping, ctx: Context) -> None:
        tls = spec.get("tls")
        if not tls:
            if _tls_by_annotation(obj) or isinstance(tls, str):
                return
            why = ""
            if any(key.startswith("cert-manager.io/") for key in obj.annotations):
                why = " (cert-manager issues certificates only for the hosts of spec.tls)"
            elif yaml_bool(obj.annotations.get(_NGINX + "ssl-redirect")) is True:
                why = (
                    " (ssl-redirect redirects only when the Ingress has TLS; force-ssl-redirect is for TLS ended "
                    "upstream)"
                )
            ctx.report(
                obj.span,
                f"{describe_object(obj)} has no tls section, so it serves plain HTTP{why}; add spec.tls with the "
                "hosts and a certificate secret (cert-manager can issue it)",
            )
            return
        if not isinstance(tls, YamlSequence):
            return
        metadata = obj.node.get("metadata")
        notes = metadata.get("annotations") if isinstance(metadata, YamlMapping) else None
        if (
            isinstance(notes, YamlMapping)
            and yaml_bool(notes.get(_NGINX + "ssl-redirect")) is False
            and yaml_bool(notes.get(_NGINX + "force-ssl-redirect")) is not True
        ):
            ctx.report(
                key_value_span(notes, _NGINX + "ssl-redirect"),
                f"{describe_object(obj)} has TLS but sets ssl-redirect: false, so it also serves its hosts over "
                "plain HTTP; remove the annotation so HTTP is redirected to HTTPS",
                confidence=Confidence.MEDIUM,
            )
        patterns: list[str] = []
        for entry in tls:
            hosts = entry.get("hosts") if isinstance(entry, YamlMapping) else None
            if not isinstance(hosts, YamlSequence) or not hosts:
                return  # an entry without hosts is the controller's default certificate for all
            patterns.extend(str(host) for host in hosts)
        rules = spec.get("rules")
        if not isinstance(rules, YamlSequence):
            return
        for rule in rules:
            if not isinstance(rule, YamlMapping) or not isinstance(rule.get("host"), str):
                continue
            host = rule["host"]
            if not _covered(host, patterns):
                ctx.report(
                    key_value_span(rule, "host"),
                    f"{describe_object(obj)} serves {host} but no tls entry covers it, so it is plain HTTP; add "
                    "it to a tls entry's hosts",
                )

    def _gateway(self, obj: KubeObject, spec: YamlMapping, ctx: Context) -> None:
        listeners = spec.get("listeners")
        if not isinstance(listeners, YamlSequence) or not listeners:
            return
        protocols = [listener.get("protocol") for listener in listeners if isinstance(listener, YamlMapping)]
        if any(p in ("HTTPS", "TLS") for p in protocols) or not any(p == "HTTP" for p in protocols):
            return
        for listener in listeners:
            if isinstance(listener, YamlMapping) and listener.get("protocol") == "HTTP":
                ctx.report(
                    key_value_span(listener, "protocol"),
                    f"{describe_object(obj)} has only plain HTTP listeners; add an HTTPS listener with a "
                    "certificateRef and redirect HTTP to it",
                )
                return
