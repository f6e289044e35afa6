"""The container and cluster family: fixtures checked exactly, docs examples, options,
redaction and the signals' shape in the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prodready_lint.rules import containers
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint

FIXTURES = Path(__file__).parent / "fixtures" / "containers"
CONTAINER_RULES = [rule.id for rule in containers.RULES if rule.id.startswith("CTR")]

# fixture repository -> the rules under test there (every finding of them must be marked)
CASES = {
    "dockerfiles": ["CTR", "K8S"],
    "pods": ["CTR"],
    "compose": ["CTR", "K8S"],
    "helm": ["CTR", "K8S"],
    "kustomize": ["CTR", "K8S001", "K8S002", "K8S003"],
    "availability": ["K8S001", "K8S002", "K8S003"],
    "cluster": ["K8S004", "K8S005", "K8S006", "K8S007", "K8S008", "CTR015", "CTR016"],
    "signals/bare": ["K8S009", "K8S010"],
    "signals/observed": ["K8S009", "K8S010"],
    "signals/no-workloads": ["K8S009", "K8S010"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_matches_markers_exactly(name: str) -> None:
    assert_fixture(FIXTURES / name, select=CASES[name])


def test_every_fixture_directory_is_checked() -> None:
    tops = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert tops == {name.split("/")[0] for name in CASES}
    assert {f"signals/{p.name}" for p in (FIXTURES / "signals").iterdir()} <= set(CASES)


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(containers.RULES)


def _scan(tmp_path: Path, files: dict[str, str], **config):
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return prodready_lint.scan([tmp_path], cache=False, root=tmp_path, jobs=1, **config)


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: acme/api:1.4.2
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
"""


def test_cpu_limits_are_opt_in(tmp_path: Path) -> None:
    files = {"deploy.yaml": DEPLOYMENT, "docker-compose.yml": "services:\n  web:\n    image: nginx:1.27.3\n"}
    default = _scan(tmp_path, files, config={"select": ["CTR012"]})
    assert [(f.path, f.line) for f in default.findings] == [("docker-compose.yml", 2)]
    strict = _scan(tmp_path, files, config={"select": ["CTR012"], "rules": {"CTR012": {"require-cpu-limit": True}}})
    found = sorted((f.path, f.line, "cpu" in f.message) for f in strict.findings)
    assert found == [("deploy.yaml", 14, True), ("docker-compose.yml", 2, True)]
    assert "memory limit and cpu limit" in next(f.message for f in strict.findings if f.path == "docker-compose.yml")


def test_tier_zero_asks_for_three_replicas(tmp_path: Path) -> None:
    default = _scan(tmp_path, {"deploy.yaml": DEPLOYMENT}, config={"select": ["K8S001"]})
    assert default.findings == ()
    tier0 = _scan(
        tmp_path, {"deploy.yaml": DEPLOYMENT}, config={"select": ["K8S001"], "rules": {"K8S001": {"min-replicas": 3}}}
    )
    assert [(f.rule_id, f.line) for f in tier0.findings] == [("K8S001", 6)]
    assert "replicas: 3" in tier0.findings[0].message


def test_secret_values_never_reach_any_output(tmp_path: Path) -> None:
    secret = "Zq7-very-private-pw"
    manifest = DEPLOYMENT.replace(
        "          resources:\n",
        f"          env:\n            - name: DB_PASSWORD\n              value: {secret}\n          resources:\n",
    )
    compose = f"services:\n  db:\n    image: postgres:17.2\n    environment:\n      - POSTGRES_PASSWORD={secret}\n"
    result = _scan(tmp_path, {"deploy.yaml": manifest, "compose.yaml": compose}, config={"select": ["CTR015"]})
    assert sorted((f.path, f.line) for f in result.findings) == [("compose.yaml", 5), ("deploy.yaml", 18)]
    for finding in result.findings:
        assert secret not in finding.message
        assert secret not in (finding.snippet or "")


def test_signals_are_info_findings_in_the_json_report(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    out = tmp_path / "report.json"
    from prodready_lint.cli import main

    code = main(["scan", str(tmp_path), "--root", str(tmp_path), "--no-cache", "--format", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    signals = {f["rule_id"]: f for f in report["findings"] if f["rule_id"] in ("K8S009", "K8S010")}
    assert set(signals) == {"K8S009", "K8S010"}
    assert {f["severity"] for f in signals.values()} == {"info"}
    assert signals["K8S009"]["checklist"] == ["alerting"] and signals["K8S010"]["checklist"] == ["autoscaling"]
    assert code == 1  # the other findings (no PDB, no spread...) fail the run; the signals alone would not


def test_signals_alone_never_fail_a_run(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"deploy.yaml": DEPLOYMENT}, config={"select": ["K8S009", "K8S010"]})
    assert {f.rule_id for f in result.findings} == {"K8S009", "K8S010"}
    assert result.exit_code() == 0


def test_one_finding_per_missing_setting_at_the_container_line(tmp_path: Path) -> None:
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: a:1\n"
    result = _scan(tmp_path, {"pod.yaml": pod}, config={"select": CONTAINER_RULES})
    assert sorted(f.rule_id for f in result.findings) == ["CTR002", "CTR004", "CTR006", "CTR007", "CTR012"]
    assert {(f.line, f.location.column) for f in result.findings} == {(7, 7)}


def _pod(resources: str) -> str:
    head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: a:1\n"
    return head + "".join(f"      {line}\n" for line in resources.splitlines())


@pytest.mark.parametrize(
    ("resources", "named"),
    [
        ("", "has no CPU request, memory request and memory limit"),
        ("resources:\n  requests: {cpu: 100m, memory: 64Mi}", "has no memory limit"),
        ("resources:\n  limits: {memory: 64Mi}", "has no CPU request:"),
        ("resources:\n  requests: {memory: 64Mi}", "has no CPU request and memory limit"),
        ("resources:\n  limits: {cpu: 1, memory: 64Mi}", None),
    ],
)
def test_one_resources_finding_per_container_names_all_it_lacks(tmp_path: Path, resources: str, named) -> None:
    result = _scan(tmp_path, {"pod.yaml": _pod(resources)}, config={"select": ["CTR012"]})
    if named is None:
        assert result.findings == ()
        return
    [finding] = result.findings
    assert named in finding.message and finding.line == 7


def test_dockerfile_expand_reads_stage_args_and_inherited_env() -> None:
    from prodready_lint.sdk import load

    text = (
        "ARG UID=0\nFROM alpine:3.20 AS base\nENV HOME_DIR=/srv\nFROM base\nARG UID\nARG GID=${UID}\n"
        "ENV UID=10001\nUSER ${UID}:${GID}\n"
    )
    file = load("Dockerfile", text)
    stage = file.final_stage
    user = stage.user
    assert file.expand("${UID}:${GID} ${HOME_DIR} ${MISSING:-x}", stage, before=user) == "10001:0 /srv x"
    first_arg = stage.instructions[0]
    assert file.expand("${UID}", stage, before=first_arg) == ""  # not declared in the stage yet


def test_values_security_contexts_levels_and_switched_off() -> None:
    from prodready_lint.sdk import load, values_security_contexts

    text = (
        "podSecurityContext: {fsGroup: 1001}\nsecurityContext: {fsGroup: 2000}\n"
        "api:\n  containerSecurityContext: {enabled: true, privileged: true}\n"
        "  initSecurityContext: {enabled: false, runAsUser: 0}\n"
    )
    found = [(c.path, c.level) for c in values_security_contexts(load("values.yaml", text))]
    assert found == [
        (("podSecurityContext",), "pod"),
        (("securityContext",), "pod"),
        (("api", "containerSecurityContext"), "container"),
    ]
