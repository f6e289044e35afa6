"""The Dockerfile model: BuildKit's reading of a Dockerfile, with exact spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import Context, FileKind, LoadError, Rule, Severity, SkipFile, Span, load
from prodready_lint.sdk.dockerfile import (
    ArgInstruction,
    DockerfileFile,
    EnvInstruction,
    ExposeInstruction,
    FromInstruction,
    HealthcheckInstruction,
    LabelInstruction,
    OnbuildInstruction,
    UserInstruction,
    load_dockerfile,
)
from prodready_lint.sdk.image_ref import ImageRef
from prodready_lint.sdk.testing import assert_fixture


def parse(text: str, path: str = "Dockerfile") -> DockerfileFile:
    return load_dockerfile(path, text)


def source(file: DockerfileFile, span: Span) -> str:
    """The source text a span covers."""
    lines = file.lines[span.line - 1 : span.end_line]
    if span.line == span.end_line:
        return lines[0][span.column - 1 : span.end_column - 1]
    return "\n".join([lines[0][span.column - 1 :], *lines[1:-1], lines[-1][: span.end_column - 1]])


def failure(text: str, path: str = "Dockerfile") -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_dockerfile(path, text)
    assert "\n" not in caught.value.message
    return caught.value


SERVICE = """\
# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim AS build
WORKDIR /src
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \\
    pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:${PYTHON_VERSION}-slim
COPY --from=build --chown=app:app /wheels /wheels
RUN pip install --no-index /wheels/*.whl && rm -rf /wheels
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/healthz || exit 1
CMD ["gunicorn", "-b", "0.0.0.0:8080", "ledger.wsgi"]
"""


# -- instructions ----------------------------------------------------------------------------
def test_the_registry_loads_dockerfiles_and_containerfiles_as_this_model() -> None:
    for path in ("Dockerfile", "deploy/api.Dockerfile", "Containerfile", "docker/Dockerfile.prod"):
        model = load(path, "FROM alpine:3.20\n")
        assert isinstance(model, DockerfileFile)
        assert model.kind is FileKind.DOCKERFILE


def test_every_instruction_in_order_with_keyword_stage_and_spans() -> None:
    file = parse(SERVICE)
    assert [i.keyword for i in file.instructions] == [
        "ARG", "FROM", "WORKDIR", "COPY", "RUN", "FROM", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD",
    ]  # fmt: skip
    assert [i.stage for i in file.instructions] == [None, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    run = file.instructions[4]
    assert run.span == Span(6, 1, 7, 54)
    assert run.keyword_span == Span(6, 1, 6, 4)
    assert run.arguments == "pip wheel --wheel-dir /wheels -r requirements.txt"
    assert run.arguments_span == Span(7, 5, 7, 54)
    assert run.line == 6


def test_keywords_are_case_insensitive() -> None:
    file = parse("from alpine:3.20 as base\nRun echo hi\nuSeR nobody\n")
    assert [i.keyword for i in file.instructions] == ["FROM", "RUN", "USER"]
    assert isinstance(file.instructions[0], FromInstruction)
    assert file.instructions[0].stage_name == "base"
    assert isinstance(file.instructions[2], UserInstruction)
    assert file.instructions[1].keyword_span == Span(2, 1, 2, 4)


def test_continuations_are_joined_as_buildkit_joins_them() -> None:
    text = "FROM debian:bookworm\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl\n"
    run = parse(text).instructions[1]
    # The character before the backslash stays; the next line keeps its indentation.
    assert run.arguments == "apt-get update     && apt-get install -y         curl"
    assert run.span == Span(2, 1, 4, 13)
    assert run.arguments_span == Span(2, 5, 4, 13)


def test_a_keyword_split_by_a_continuation_is_still_one_keyword() -> None:
    file = parse("FROM alpine\nRU\\\nN echo hi\n")
    run = file.instructions[1]
    assert run.keyword == "RUN"
    assert run.keyword_span == Span(2, 1, 3, 2)
    assert run.arguments == "echo hi"


def test_trailing_whitespace_after_the_escape_character_still_continues() -> None:
    run = parse("FROM alpine\nRUN echo one \\   \n    two\n").instructions[1]
    assert run.arguments == "echo one     two"
    assert run.span.end_line == 3


def test_an_escaped_escape_character_at_the_end_does_not_continue() -> None:
    file = parse("FROM alpine\nRUN echo C:\\\\\nUSER app\n")
    assert [i.keyword for i in file.instructions] == ["FROM", "RUN", "USER"]
    assert file.instructions[1].arguments == "echo C:\\\\"


def test_a_continuation_at_the_end_of_the_file_ends_the_instruction() -> None:
    run = parse("FROM alpine\nRUN echo done \\\n").instructions[1]
    assert run.arguments == "echo done"
    assert run.span == Span(2, 1, 2, 14)


def test_comment_and_blank_lines_inside_a_continuation_are_skipped() -> None:
    text = (
        "FROM debian:bookworm\n"
        "RUN apt-get install -y \\\n"
        "    # the TLS roots\n"
        "    ca-certificates \\\n"
        "\n"
        "    curl\n"
        "USER app\n"
    )
    file = parse(text)
    run = file.instructions[1]
    assert run.arguments == "apt-get install -y     ca-certificates     curl"
    assert run.span == Span(2, 1, 6, 9)
    assert [i.keyword for i in file.instructions] == ["FROM", "RUN", "USER"]
    assert [(c.line, c.text, c.span) for c in file.comments] == [(3, "the TLS roots", Span(3, 5, 3, 20))]


def test_hash_is_a_comment_only_at_the_start_of_a_line() -> None:
    file = parse("FROM alpine\n  # indented comment\nRUN echo # not a comment\n")
    assert file.instructions[1].arguments == "echo # not a comment"
    assert [(c.line, c.text, c.span) for c in file.comments] == [(2, "indented comment", Span(2, 3, 2, 21))]


def test_expect_markers_on_their_own_line_are_comments() -> None:
    file = parse("# expect: ACME002\nFROM python:latest\n")
    assert [(c.line, c.text) for c in file.comments] == [(1, "expect: ACME002")]
    assert file.instructions[0].span == Span(2, 1, 2, 19)


def test_crlf_line_endings_and_unicode_columns() -> None:
    file = parse('FROM alpine\r\nLABEL description="café ☕" \\\r\n      owner=ops\r\n')
    label = file.instructions[1]
    assert isinstance(label, LabelInstruction)
    assert [(p.key, p.value) for p in label.pairs] == [("description", "café ☕"), ("owner", "ops")]
    assert label.pairs[0].value_span == Span(2, 19, 2, 27)
    assert label.pairs[1].key_span == Span(3, 7, 3, 12)


def test_a_byte_order_mark_is_ignored() -> None:
    file = parse("\ufeff# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n")
    assert file.escape == "`"
    assert file.instructions[0].keyword == "FROM"


# -- flags and forms -------------------------------------------------------------------------
def test_flags_are_parsed_out_with_their_values_and_spans() -> None:
    text = (
        "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n"
        'COPY --from=build --chown=app:app --link "/out/server" /usr/local/bin/\n'
        "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc --mount=type=cache,target=/root/.npm npm ci\n"
    )
    file = parse(text)
    platform = file.instructions[0].flag("platform")
    assert platform is not None
    assert (platform.value, platform.span, platform.value_span) == (
        "$BUILDPLATFORM",
        Span(1, 6, 1, 31),
        Span(1, 17, 1, 31),
    )
    copy = file.instructions[1]
    assert [(f.name, f.value) for f in copy.flags] == [("from", "build"), ("chown", "app:app"), ("link", None)]
    assert copy.flag_value("from") == "build"
    assert copy.flag("link") is not None and copy.flag("link").value_span is None
    assert copy.arguments == '"/out/server" /usr/local/bin/'
    assert [w.value for w in copy.words] == ['"/out/server"', "/usr/local/bin/"]
    run = file.instructions[2]
    assert [f.name for f in run.flags] == ["mount", "mount"]
    assert run.flags[0].fields() == {"type": "secret", "id": "npmrc", "target": "/root/.npmrc"}
    assert run.arguments == "npm ci"


def test_quotes_in_flag_values_are_removed_and_the_value_span_covers_the_source() -> None:
    copy = parse('FROM alpine\nCOPY --chown="app user" a /b\n').instructions[1]
    chown = copy.flag("chown")
    assert chown is not None
    assert chown.value == "app user"
    assert chown.value_span == Span(2, 14, 2, 24)


def test_a_double_dash_ends_the_flags() -> None:
    run = parse("FROM alpine\nRUN -- --version\n").instructions[1]
    assert run.flags == ()
    assert run.arguments == "--version"


def test_exec_and_shell_forms_for_run_cmd_entrypoint_and_shell() -> None:
    text = (
        "FROM alpine\n"
        'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\n'
        "RUN apk add --no-cache curl\n"
        'ENTRYPOINT ["/sbin/tini", "--"]\n'
        'CMD ["server", "--port=8080"]\n'
    )
    _, shell, run, entrypoint, cmd = parse(text).instructions
    assert (shell.form, run.form, entrypoint.form, cmd.form) == ("exec", "shell", "exec", "exec")
    assert [w.value for w in shell.exec_args] == ["/bin/ash", "-eo", "pipefail", "-c"]
    assert run.exec_args is None
    assert [w.value for w in run.words] == ["apk add --no-cache curl"]
    assert [(w.value, w.span) for w in cmd.exec_args] == [
        ("server", Span(5, 6, 5, 14)),
        ("--port=8080", Span(5, 16, 5, 29)),
    ]


def test_exec_form_items_are_decoded_json_strings() -> None:
    cmd = parse('FROM alpine\nCMD ["echo", "say \\"hi\\"", "caf\\u00e9"]\n').instructions[1]
    assert [w.value for w in cmd.exec_args] == ["echo", 'say "hi"', "café"]
    assert cmd.exec_args[1].span == Span(2, 14, 2, 26)


def test_invalid_json_falls_back_to_the_shell_form_as_in_buildkit() -> None:
    file = parse("FROM alpine\nCMD ['single', 'quotes']\nRUN [ -f /etc/alpine-release ] && echo alpine\n")
    cmd, run = file.instructions[1:]
    assert cmd.form == "shell" and cmd.arguments == "['single', 'quotes']"
    assert run.form == "shell" and run.words[0].value == "[ -f /etc/alpine-release ] && echo alpine"


def test_text_after_a_json_array_makes_it_a_shell_command() -> None:
    cmd = parse('FROM alpine\nCMD ["echo", "hello"] this is more\n').instructions[1]
    assert cmd.form == "shell"


def test_add_copy_and_volume_take_a_json_list_too() -> None:
    file = parse('FROM alpine\nCOPY ["my file.txt", "/app/"]\nVOLUME ["/data", "/logs"]\nVOLUME /cache /tmp\n')
    copy, volume, volume2 = file.instructions[1:]
    assert [w.value for w in copy.words] == ["my file.txt", "/app/"]
    assert copy.exec_args is not None and copy.form is None
    assert [w.value for w in volume.words] == ["/data", "/logs"]
    assert [(w.value, w.span) for w in volume2.words] == [("/cache", Span(4, 8, 4, 14)), ("/tmp", Span(4, 15, 4, 19))]


# -- heredocs --------------------------------------------------------------------------------
def test_a_run_heredoc_is_attached_with_its_body_and_spans() -> None:
    text = "FROM debian:bookworm\nRUN <<EOF\nset -eux\n# not a comment: part of the script\napt-get update\nEOF\nUSER app\n"
    file = parse(text)
    run = file.instructions[1]
    assert [i.keyword for i in file.instructions] == ["FROM", "RUN", "USER"]
    (heredoc,) = run.heredocs
    assert heredoc.name == "EOF"
    assert heredoc.content == "set -eux\n# not a comment: part of the script\napt-get update\n"
    assert (heredoc.chomp, heredoc.expand, heredoc.file_descriptor) == (False, True, 0)
    assert heredoc.marker_span == Span(2, 5, 2, 10)
    assert heredoc.body_span == Span(3, 1, 5, 15)
    assert heredoc.end_line == 6
    assert run.span == Span(2, 1, 6, 4)
    assert file.comments == ()


def test_a_dash_heredoc_strips_leading_tabs_and_its_terminator_may_be_indented() -> None:
    run = parse("FROM alpine\nRUN <<-EOT sh\n\techo one\n\t\techo two\n\tEOT\n").instructions[1]
    (heredoc,) = run.heredocs
    assert heredoc.chomp
    assert heredoc.content == "\techo one\n\t\techo two\n"
    assert heredoc.text == "echo one\necho two\n"
    assert run.span.end_line == 5


def test_a_quoted_delimiter_keeps_variables_literal() -> None:
    text = "FROM python:3.12\nRUN python3 <<'PY'\nimport os\nprint(os.environ['HOME'])\nPY\nRUN <<\"SH\" bash\necho $HOME\nSH\n"
    first, second = parse(text).instructions[1:]
    assert [(h.name, h.expand) for h in first.heredocs] == [("PY", False)]
    assert [(h.name, h.expand) for h in second.heredocs] == [("SH", False)]
    assert first.heredocs[0].content == "import os\nprint(os.environ['HOME'])\n"


def test_several_heredocs_on_one_instruction_are_read_in_order() -> None:
    text = "FROM alpine\nRUN <<A cat > /a.txt && <<B cat > /b.txt\nalpha\nA\nbeta\nB\nUSER app\n"
    file = parse(text)
    run = file.instructions[1]
    assert [(h.name, h.content, h.end_line) for h in run.heredocs] == [("A", "alpha\n", 4), ("B", "beta\n", 6)]
    assert [h.marker_span for h in run.heredocs] == [Span(2, 5, 2, 8), Span(2, 25, 2, 28)]
    assert file.instructions[2].keyword == "USER"


def test_copy_writes_a_heredoc_to_a_file() -> None:
    copy = parse("FROM nginx:1.27\nCOPY <<EOF /etc/nginx/conf.d/health.conf\nlocation /healthz { return 200; }\nEOF\n")
    (heredoc,) = copy.instructions[1].heredocs
    assert heredoc.content == "location /healthz { return 200; }\n"
    assert [w.value for w in copy.instructions[1].words] == ["<<EOF", "/etc/nginx/conf.d/health.conf"]


def test_heredoc_markers_follow_buildkits_shell_words() -> None:
    file = parse(
        "FROM alpine\n"
        "RUN cat << EOF > /motd\nwelcome\nEOF\n"  # blanks after << are allowed
        "RUN 3<<IN cat <&3\nthree\nIN\n"  # a file descriptor
        'RUN echo "<<NOT a heredoc"\n'  # quoted
        'RUN ["sh", "-c", "cat <<EOF"]\n'  # exec form never has heredocs
        "RUN echo cat<<NOTEITHER\n"  # not at the start of a word
    )
    heredocs = [i.heredocs for i in file.instructions[1:]]
    assert [(h.name, h.content) for h in heredocs[0]] == [("EOF", "welcome\n")]
    assert [(h.name, h.file_descriptor) for h in heredocs[1]] == [("IN", 3)]
    assert heredocs[2:] == [(), (), ()]


def test_an_empty_heredoc_body_has_no_body_span() -> None:
    (heredoc,) = parse("FROM alpine\nRUN <<EOF\nEOF\n").instructions[1].heredocs
    assert (heredoc.content, heredoc.body_span, heredoc.end_line) == ("", None, 3)


def test_onbuild_heredocs_and_trigger() -> None:
    text = "FROM alpine\nONBUILD RUN <<EOF\necho child\nEOF\nONBUILD COPY --chown=app . /app\n"
    first, second = parse(text).instructions[1:]
    assert isinstance(first, OnbuildInstruction)
    assert first.trigger.keyword == "RUN"
    assert first.trigger.keyword_span == Span(2, 9, 2, 12)
    assert first.trigger.span == Span(2, 9, 4, 4)
    assert [h.content for h in first.heredocs] == ["echo child\n"]
    assert second.trigger.flag_value("chown") == "app"


# -- ENV, ARG, LABEL -------------------------------------------------------------------------
def test_env_pairs_with_key_and_value_spans() -> None:
    text = "FROM alpine\nENV APP_HOME=/app LOG_LEVEL=\"info debug\" \\\n    EMPTY= QUOTED='$HOME stays'\n"
    env = parse(text).instructions[1]
    assert isinstance(env, EnvInstruction)
    assert [(p.key, p.value, p.raw_value) for p in env.pairs] == [
        ("APP_HOME", "/app", "/app"),
        ("LOG_LEVEL", "info debug", '"info debug"'),
        ("EMPTY", "", ""),
        ("QUOTED", "$HOME stays", "'$HOME stays'"),
    ]
    assert [(p.key_span, p.value_span) for p in env.pairs[:2]] == [
        (Span(2, 5, 2, 13), Span(2, 14, 2, 18)),
        (Span(2, 19, 2, 28), Span(2, 29, 2, 41)),
    ]
    assert env.pairs[3].key_span == Span(3, 12, 3, 18)
    assert env.pairs[3].value_span == Span(3, 19, 3, 32)
    assert env.get("LOG_LEVEL") is env.pairs[1]


def test_the_legacy_env_form_takes_the_rest_of_the_line() -> None:
    env = parse("FROM alpine\nENV JAVA_OPTS -Xms256m -Xmx1g\n").instructions[1]
    (pair,) = env.pairs
    assert (pair.key, pair.value, pair.legacy) == ("JAVA_OPTS", "-Xms256m -Xmx1g", True)
    assert (pair.key_span, pair.value_span) == (Span(2, 5, 2, 14), Span(2, 15, 2, 30))


def test_variables_in_values_are_kept_as_written() -> None:
    env = parse("FROM alpine\nENV PATH=/opt/app/bin:$PATH URL=${BASE_URL:-http://localhost}\n").instructions[1]
    assert [p.value for p in env.pairs] == ["/opt/app/bin:$PATH", "${BASE_URL:-http://localhost}"]


def test_arg_with_and_without_default() -> None:
    file = parse("ARG BASE_IMAGE=python:3.12-slim\nFROM $BASE_IMAGE\nARG GIT_SHA\nARG TOKEN=ghp_example PORT=8080\n")
    first, _, second, third = file.instructions
    assert isinstance(first, ArgInstruction) and first.stage is None
    assert [(p.key, p.value, p.value_span) for p in first.pairs] == [
        ("BASE_IMAGE", "python:3.12-slim", Span(1, 16, 1, 32))
    ]
    assert [(p.key, p.value, p.has_value, p.value_span, p.key_span) for p in second.pairs] == [
        ("GIT_SHA", None, False, None, Span(3, 5, 3, 12))
    ]
    assert [(p.key, p.value) for p in third.pairs] == [("TOKEN", "ghp_example"), ("PORT", "8080")]
    assert third.stage == 0
    assert [p.key for p in file.global_args] == ["BASE_IMAGE"]


def test_label_pairs() -> None:
    label = parse(
        'FROM alpine\nLABEL org.opencontainers.image.source="https://github.com/acme/ledger" version=1.4.2\n'
    ).instructions[1]
    assert isinstance(label, LabelInstruction)
    assert [(p.key, p.value) for p in label.pairs] == [
        ("org.opencontainers.image.source", "https://github.com/acme/ledger"),
        ("version", "1.4.2"),
    ]


# -- USER, EXPOSE, HEALTHCHECK, FROM ---------------------------------------------------------
def test_user_with_and_without_group() -> None:
    file = parse("FROM alpine\nUSER app:app\nUSER 10001\nUSER root\n")
    with_group, uid, root = file.instructions[1:]
    assert isinstance(with_group, UserInstruction)
    assert (with_group.user.value, with_group.user.span) == ("app", Span(2, 6, 2, 9))
    assert with_group.group is not None and (with_group.group.value, with_group.group.span) == (
        "app",
        Span(2, 10, 2, 13),
    )
    assert (uid.user.value, uid.group, uid.is_root) == ("10001", None, False)
    assert root.is_root


def test_expose_ports_with_protocols_ranges_and_variables() -> None:
    expose = parse("FROM alpine\nEXPOSE 8080 9090/udp 7000-7010/TCP ${METRICS_PORT}\n").instructions[1]
    assert isinstance(expose, ExposeInstruction)
    assert [(p.value, p.number, p.end, p.protocol) for p in expose.ports] == [
        ("8080", 8080, None, "tcp"),
        ("9090/udp", 9090, None, "udp"),
        ("7000-7010/TCP", 7000, 7010, "tcp"),
        ("${METRICS_PORT}", None, None, "tcp"),
    ]
    assert expose.ports[1].span == Span(2, 13, 2, 21)


def test_healthcheck_shell_form_with_options() -> None:
    text = "FROM alpine\nHEALTHCHECK --interval=30s --timeout=3s --start-period=1m30s --retries=3 \\\n  CMD curl -f http://localhost:8080/healthz || exit 1\n"
    check = parse(text).instructions[1]
    assert isinstance(check, HealthcheckInstruction)
    assert not check.is_none
    assert (check.interval, check.timeout, check.start_period, check.start_interval, check.retries) == (
        30.0,
        3.0,
        90.0,
        None,
        3,
    )
    assert check.test.value == "CMD" and check.test.span == Span(3, 3, 3, 6)
    assert check.command is not None
    assert check.command.value == "curl -f http://localhost:8080/healthz || exit 1"
    assert check.command.span == Span(3, 7, 3, 54)
    assert check.command_form == "shell"
    assert check.flag("interval").value_span == Span(2, 24, 2, 27)


def test_healthcheck_exec_form_and_none() -> None:
    file = parse('FROM alpine\nHEALTHCHECK CMD ["wget", "-qO-", "http://127.0.0.1:8080/ready"]\nHEALTHCHECK NONE\n')
    exec_form, none = file.instructions[1:]
    assert exec_form.command_form == "exec"
    assert [w.value for w in exec_form.exec_args] == ["wget", "-qO-", "http://127.0.0.1:8080/ready"]
    assert exec_form.exec_args[2].span == Span(2, 34, 2, 63)
    assert none.is_none and none.command is None and none.command_form is None


def test_from_with_platform_and_alias() -> None:
    instruction = parse("FROM --platform=linux/amd64 ghcr.io/acme/base:2.1 AS Runtime\n").instructions[0]
    assert isinstance(instruction, FromInstruction)
    assert (instruction.base.value, instruction.base.span) == ("ghcr.io/acme/base:2.1", Span(1, 29, 1, 50))
    assert instruction.alias is not None and instruction.alias.span == Span(1, 54, 1, 61)
    assert instruction.stage_name == "runtime"
    assert instruction.platform is not None and instruction.platform.value == "linux/amd64"


# -- stages and images -----------------------------------------------------------------------
def test_stages_with_names_bases_and_instructions() -> None:
    file = parse(SERVICE)
    build, final = file.stages
    assert (build.index, build.name, final.index, final.name) == (0, "build", 1, None)
    assert build.from_instruction is file.instructions[1]
    assert [i.keyword for i in build.instructions] == ["WORKDIR", "COPY", "RUN"]
    assert [i.keyword for i in final.instructions] == ["COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD"]
    assert file.final_stage is final
    assert file.stage_named("BUILD") is build and file.stage_named("1") is final and file.stage_named("x") is None
    assert final.find("copy") == (file.instructions[6],)
    assert final.last("RUN") is file.instructions[7]


@pytest.mark.parametrize(
    "reference",
    ["python:${PY}-slim", "python:$PY-slim", "python:${PY:-3.11}-slim", "python:${PY%.*}.12-slim"],
)
def test_the_base_image_is_resolved_through_global_arg_defaults(reference: str) -> None:
    stage = parse(f"ARG PY=3.12\nFROM {reference}\n").stages[0]
    assert stage.base == reference
    assert stage.base_resolved == "python:3.12-slim"
    assert stage.unresolved_args == ()
    assert stage.image == ImageRef("python:3.12-slim", "python", None, "3.12-slim", None)


def test_a_default_in_the_reference_applies_when_the_arg_has_none() -> None:
    stage = parse("ARG TAG\nFROM python:${TAG:-3.11}\n").stages[0]
    assert stage.base_resolved == "python:3.11"
    assert stage.unresolved_args == ("TAG",)


def test_args_without_a_known_value_are_reported_as_unresolved() -> None:
    file = parse(
        "ARG REGISTRY\nARG IMAGE=${REGISTRY}/team/api\nFROM ${IMAGE}:1.0\nFROM --platform=$BUILDPLATFORM golang:${GO}\n"
    )
    first, second = file.stages
    assert (first.base_resolved, first.unresolved_args, first.image) == ("/team/api:1.0", ("REGISTRY",), None)
    assert (second.base_resolved, second.unresolved_args) == ("golang:", ("GO",))


def test_args_inside_a_stage_do_not_reach_later_from_lines() -> None:
    stage = parse("FROM alpine\nARG V=3.20\nFROM alpine:${V}\n").stages[1]
    assert (stage.base_resolved, stage.unresolved_args) == ("alpine:", ("V",))


def test_a_stage_built_on_an_earlier_stage_is_marked() -> None:
    file = parse("FROM node:20-alpine AS deps\nRUN npm ci\nFROM deps AS test\nRUN npm test\nFROM deps\nUSER node\n")
    deps, test, final = file.stages
    assert test.base_stage is deps and test.image is None
    assert final.base_stage is deps
    assert deps.base_stage is None and deps.image is not None and deps.image.tag == "20-alpine"


def test_the_effective_user_and_healthcheck_follow_base_stages() -> None:
    file = parse("FROM alpine AS base\nUSER app\nHEALTHCHECK CMD true\nFROM base\nRUN echo\nFROM alpine\n")
    base, child, fresh = file.stages
    assert child.user is base.instructions[0] and child.healthcheck is base.instructions[1]
    assert fresh.user is None and fresh.healthcheck is None


def test_scratch_latest_untagged_and_digest_pinned_images() -> None:
    file = parse("FROM scratch\nFROM python:latest\nFROM redis\nFROM ghcr.io/acme/api:1.2@sha256:" + "a" * 64 + "\n")
    scratch, latest, untagged, pinned = (s.image for s in file.stages)
    assert file.stages[0].is_scratch and scratch is not None and scratch.is_scratch
    assert latest is not None and latest.is_latest and not latest.is_untagged
    assert untagged is not None and untagged.is_untagged and untagged.name == "docker.io/library/redis"
    assert pinned is not None and pinned.is_pinned and pinned.registry == "ghcr.io" and pinned.tag == "1.2"


def test_a_file_with_only_comments_is_valid_and_has_no_stages() -> None:
    for text in ("", "\n\n", "# Build with: docker build -t app .\n# (kept for later)\n"):
        file = parse(text)
        assert (file.instructions, file.stages, file.final_stage) == ((), (), None)


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest", "name"),
    [
        ("python", None, "python", None, None, "docker.io/library/python"),
        ("bitnami/redis:7.2", None, "bitnami/redis", "7.2", None, "docker.io/bitnami/redis"),
        ("localhost:5000/app:dev", "localhost:5000", "app", "dev", None, "localhost:5000/app"),
        ("localhost:5000", None, "localhost", "5000", None, "docker.io/library/localhost"),
        ("index.docker.io/nginx", "index.docker.io", "nginx", None, None, "docker.io/library/nginx"),
        ("[::1]:5000/app:v1", "[::1]:5000", "app", "v1", None, "[::1]:5000/app"),
        ("Registry/app", "Registry", "app", None, None, "Registry/app"),
        ("ghcr.io/a/b@sha256:" + "0" * 64, "ghcr.io", "a/b", None, "sha256:" + "0" * 64, "ghcr.io/a/b"),
    ],
)
def test_image_references_are_split_as_docker_splits_them(
    text: str, registry: str | None, repository: str, tag: str | None, digest: str | None, name: str
) -> None:
    ref = ImageRef.parse(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest, ref.name, str(ref)) == (
        registry,
        repository,
        tag,
        digest,
        name,
        text,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Python:3.12", "must be lowercase"),
        ("python:3.12@sha256:abc", "invalid reference format"),
        ("${BASE}", "invalid reference format"),
        ("a" * 64, "image ID"),
        ("", "invalid reference format"),
    ],
)
def test_invalid_image_references(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        ImageRef.parse(text)


# -- directives ------------------------------------------------------------------------------
def test_the_escape_directive_makes_the_backtick_the_escape_character() -> None:
    text = (
        "# escape=`\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        "RUN New-Item -ItemType Directory C:\\app; `\n"
        "    Set-Location C:\\app\n"
        "COPY app.ps1 C:\\app\\\n"
        'ENV DIR="C:\\Program Files\\App" NAME=say`"hi`"\n'
    )
    file = parse(text)
    assert file.escape == "`"
    assert [(d.name, d.value, d.span, d.value_span) for d in file.directives] == [
        ("escape", "`", Span(1, 1, 1, 11), Span(1, 10, 1, 11))
    ]
    run, copy, env = file.instructions[1:]
    assert run.arguments == "New-Item -ItemType Directory C:\\app;     Set-Location C:\\app"
    assert copy.words[1].value == "C:\\app\\"  # a backslash is an ordinary character now
    assert [p.value for p in env.pairs] == ["C:\\Program Files\\App", 'say"hi"']
    assert file.comments == ()


def test_syntax_and_check_directives() -> None:
    file = parse("# syntax=docker/dockerfile:1.7-labs\n#check=skip=JSONArgsRecommended\nFROM alpine\n")
    assert file.syntax == "docker/dockerfile:1.7-labs"
    check = file.directive("CHECK")
    assert check is not None and check.value == "skip=JSONArgsRecommended" and check.span == Span(2, 1, 2, 32)
    assert file.escape == "\\"


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine\n# escape=`\nRUN echo `\n",  # after an instruction
        "# Windows image\n# escape=`\nFROM alpine\n",  # after a comment
        "\n# escape=`\nFROM alpine\n",  # after a blank line
        "# unknown=directive\n# escape=`\nFROM alpine\n",  # an unknown directive is a comment
    ],
)
def test_directives_count_only_at_the_very_top(text: str) -> None:
    file = parse(text)
    assert file.escape == "\\"
    assert file.directive("escape") is None
    assert any(c.text == "escape=`" for c in file.comments)


# -- bad input: each is one LoadError line with the line number ------------------------------
def test_an_unterminated_heredoc_names_its_delimiter_and_line() -> None:
    error = failure("FROM alpine\nWORKDIR /app\nRUN <<EOF\napk add curl\nEO\n")
    assert (error.kind, error.line) == ("dockerfile", 3)
    assert error.message == "unterminated heredoc <<EOF started on line 3: no line reads 'EOF'"
    error = failure("FROM alpine\nRUN <<-'SCRIPT' sh \\\n  -e\n\techo hi\n")
    assert "<<-'SCRIPT' started on line 2" in error.message and "'SCRIPT'" in error.message


def test_an_unknown_instruction_is_refused_with_a_suggestion() -> None:
    error = failure("FROM alpine\nCOPPY . /app\n")
    assert (error.line, error.message) == (2, "unknown instruction 'COPPY' (did you mean COPY?)")
    error = failure("FROM alpine\nRUN apk add \\\n    curl\n    git\n")  # a forgotten backslash
    assert (error.line, error.message) == (4, "unknown instruction 'git'")


def test_from_without_an_image() -> None:
    error = failure("ARG BASE=alpine\nFROM\nRUN echo\n")
    assert (error.line, error.message) == (2, "FROM needs an image: FROM [--platform=...] image [AS name]")
    error = failure("FROM --platform=linux/arm64\n")
    assert error.line == 1 and error.message.startswith("FROM needs an image")


def test_from_with_a_malformed_stage_clause() -> None:
    assert failure("FROM alpine AS\n").message.startswith("FROM takes an image and an optional stage name")
    error = failure("FROM alpine AS 2nd-stage\n")
    assert error.message.startswith("invalid stage name '2nd-stage'")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("USER", "USER requires exactly one argument"),
        ("WORKDIR", "WORKDIR requires exactly one argument"),
        ("ENV", "ENV requires at least one argument"),
        ("ARG", "ARG requires at least one argument"),
        ("LABEL", "LABEL requires at least one argument"),
        ("EXPOSE", "EXPOSE requires at least one argument"),
        ("VOLUME", "VOLUME requires at least one argument"),
        ("HEALTHCHECK", "HEALTHCHECK requires at least one argument"),
        ("STOPSIGNAL", "STOPSIGNAL requires exactly one argument"),
        ("ONBUILD", "ONBUILD requires at least one argument"),
        ("COPY app.py", "COPY requires at least two arguments: the sources and a destination"),
        ("ADD --chown=app https://example.com/app.tar.gz", "ADD requires at least two arguments"),
        ("SHELL", "SHELL requires at least one argument"),
        ("SHELL []", "SHELL requires at least one argument"),
        ("HEALTHCHECK CMD", "HEALTHCHECK CMD needs a command"),
    ],
)
def test_an_instruction_without_its_required_arguments(line: str, message: str) -> None:
    error = failure(f"FROM alpine\n{line}\n")
    assert error.line == 2
    assert error.message.startswith(message)


def test_other_instructions_buildkit_refuses() -> None:
    cases = {
        "FROM alpine\nENV PATH\n": (2, "ENV 'PATH' has no value: write ENV PATH=value"),
        "FROM alpine\nENV A=1 \\\n  B 2\n": (3, "ENV: can't find = in 'B'; write name=value"),
        "FROM alpine\nLABEL =x\n": (2, "LABEL names can not be blank"),
        "FROM alpine\nSHELL /bin/bash -c\n": (2, 'SHELL requires the JSON form: SHELL ["executable", "parameters"]'),
        'FROM alpine\nCMD ["sleep", 30]\n': (2, "CMD: a JSON array (exec form) may hold only strings"),
        "FROM alpine\nHEALTHCHECK NONE --now\n": (2, "HEALTHCHECK NONE takes no arguments"),
        "FROM alpine\nHEALTHCHECK CONNECT TCP 7000\n": (2, "unknown HEALTHCHECK type 'CONNECT': use CMD or NONE"),
        "FROM alpine\nHEALTHCHECK --interval=30 CMD true\n": (
            2,
            "HEALTHCHECK --interval: '30' is not a duration like 30s",
        ),
        "FROM alpine\nHEALTHCHECK --retries=-1 CMD true\n": (2, "HEALTHCHECK --retries cannot be negative (-1)"),
        "FROM alpine\nCOPY a.txt <<EOF\nx\nEOF\n": (2, "COPY cannot accept a heredoc as a destination"),
        "FROM alpine\nONBUILD ONBUILD RUN x\n": (2, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        "FROM alpine\nONBUILD FROM alpine\n": (2, "FROM isn't allowed as an ONBUILD trigger"),
        "RUN apk add curl\nFROM alpine\n": (1, "RUN before the first FROM: only ARG may come before FROM"),
        "# escape=`\n# escape=\\\nFROM alpine\n": (2, "only one escape parser directive can be used"),
        "# escape=/\nFROM alpine\n": (1, "invalid escape token '/': it must be \\ or `"),
        "FROM alpine\n\\\n": (2, "a line continuation with no instruction to continue"),
    }
    for text, expected in cases.items():
        error = failure(text)
        assert (error.line, error.message) == expected, text


def test_invalid_json_in_exec_form_is_not_an_error() -> None:
    file = parse('FROM alpine\nENTRYPOINT ["/entrypoint.sh", "--config" "/etc/app.yaml"]\n')
    assert file.instructions[1].form == "shell"


def test_binary_content_is_refused() -> None:
    error = failure("FROM alpine\nCOPY app /app\n\x00\x01\x02ELF\x00")
    assert (error.kind, error.line) == ("dockerfile", 3)
    assert "NUL" in error.message


def test_garbage_text_is_refused_with_a_printable_message() -> None:
    garbage = bytes(range(0x80, 0x100)).decode("latin-1") + "\x1b[31m\x7fPNG\r\n\x1a\n"
    error = failure(garbage * 3)
    assert error.line == 1
    assert error.message.startswith("unknown instruction '")
    assert error.message.isprintable() and len(error.message) < 120


def test_a_line_longer_than_buildkit_accepts() -> None:
    error = failure("FROM alpine\nRUN echo " + "x" * 70000 + "\n")
    assert (error.line, error.message) == (2, "the line is longer than 65535 bytes, BuildKit's limit")


def test_templates_and_dockerignore_files_are_skipped_not_failed() -> None:
    with pytest.raises(SkipFile) as caught:
        parse("FROM {{ base_image }}\n{% if debug %}\nRUN pip install debugpy\n{% endif %}\n", "Dockerfile.j2")
    assert caught.value.kind == "template" and caught.value.line == 1
    with pytest.raises(SkipFile) as caught:
        parse("node_modules\n*.log\n", "Dockerfile.dockerignore")
    assert caught.value.kind == "dockerignore"
    # A template that happens to be a valid Dockerfile is loaded.
    assert parse("FROM {{image}}\n", "Dockerfile.tmpl").stages[0].image is None


# -- properties ------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=()), max_size=300))
def test_any_text_loads_or_raises_load_error(text: str) -> None:
    try:
        parse(text)
    except LoadError as error:
        assert error.message and "\n" not in error.message


FRAGMENTS = [
    "FROM alpine", "from python:${PY:-3.12} AS build", "ARG PY=3.12", "RUN echo hi", "RUN <<EOF", "EOF", "\tEOF",
    "RUN <<-EOT cat", "COPY <<A <<B /dest/", "A", "B", "ENV A=1 B=\"x y\"", "ENV K v w", "USER app:app", "\\",
    "RUN apk add \\", "    curl \\", "# comment", "", "   ", 'CMD ["a", "b"]', "CMD [broken", "EXPOSE 80/tcp 1-2",
    "HEALTHCHECK --interval=5s CMD curl -f http://x/h", "HEALTHCHECK NONE", "LABEL a=b", "# escape=`", "RUN x `",
    "ONBUILD RUN <<X", "X", "COPY --from=build --chown=a:b /a /b", "WORKDIR /app", "RUN echo # hash", "éé ☕",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14), st.sampled_from(["\n", "\r\n"]))
def test_spans_point_at_what_they_describe(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    try:
        file = parse(text)
    except LoadError:
        return
    for instruction in file.instructions:
        written = source(file, instruction.keyword_span)
        assert written.replace("\\\n", "").replace("`\n", "").upper() == instruction.keyword
        assert source(file, instruction.span).upper().startswith(written.upper())
        if instruction.arguments_span and instruction.arguments_span.line == instruction.arguments_span.end_line:
            assert source(file, instruction.arguments_span) == instruction.arguments
        for word in instruction.words:
            if word.span.line == word.span.end_line and instruction.exec_args is None:
                assert source(file, word.span) == word.value
        for pair in getattr(instruction, "pairs", ()):
            assert source(file, pair.key_span) == pair.key
        for heredoc in instruction.heredocs:
            assert "<<" in source(file, heredoc.marker_span)
        assert 1 <= instruction.span.line <= instruction.span.end_line <= len(file.lines)


# -- the model in a rule ---------------------------------------------------------------------
class UnpinnedBaseImage(Rule):
    """A stage's base image is not pinned to a version.

    ## What it does
    Checks each build stage's resolved base image for a missing or `latest` tag.

    ## Why is this bad?
    The image changes under you.

    ## Example
    ```dockerfile
    FROM python:latest
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12.7-slim
    ```
    """

    id = "TST901"
    name = "unpinned-base-image"
    summary = "Base image is not pinned"
    checklist = ("image-pinning",)
    severity = Severity.LOW
    kinds = frozenset({FileKind.DOCKERFILE})

    def check(self, file: DockerfileFile, ctx: Context) -> None:
        for stage in file.stages:
            image = stage.image
            if (
                image is not None
                and not image.is_scratch
                and not image.is_pinned
                and (image.is_untagged or image.is_latest)
            ):
                ctx.report(stage.from_instruction.base, f"base image {image.text!r} is not pinned")


def test_a_rule_reads_stages_and_reports_at_the_image(tmp_path: Path) -> None:
    fixture = tmp_path / "Dockerfile"
    fixture.write_text(
        "ARG BASE=python:latest\n"
        "# expect: TST901\n"
        "FROM ${BASE} AS build\n"
        "RUN pip wheel -w /wheels .\n"
        "# ok: TST901\n"
        "FROM build AS test\n"
        "FROM \\\n"
        "# expect: TST901\n"
        "    redis\n"
        "# ok: TST901\n"
        "FROM python:3.12-slim\n",
        encoding="utf-8",
    )
    report = assert_fixture(fixture, [UnpinnedBaseImage])
    assert sorted((f.line, f.location.column) for f in report.findings) == [(3, 6), (9, 5)]
