"""RequirementsFile: pip requirements files with every requirement, option and problem located."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from prodready_lint.sdk import FileKind, LoadError, Span, load
from prodready_lint.sdk.requirements import RequirementOption, RequirementProblem, RequirementsFile, load_requirements

REQUIREMENTS = """\
# Production dependencies
-r requirements/base.txt
-c constraints.txt
--index-url https://${PYPI_USER}:${PYPI_TOKEN}@pypi.internal/simple
--extra-index-url=https://mirror.internal/simple --trusted-host mirror.internal

requests==2.32.3 \\
    --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6 \\
    --hash=sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760  # HTTP
Django[bcrypt,argon2] >=4.2,<5.0 ; python_version >= "3.10"
celery==5.*
uvloop===0.19.0
gunicorn
internal-sdk @ git+https://github.com/acme/internal-sdk.git@v3.1.0
https://files.acme.internal/wheels/acme_auth-2.0.1-py3-none-any.whl
./vendor/legacy-client
-e git+https://github.com/acme/tools.git@main#egg=acme-tools
-e .[dev]
"""


def test_requirements_are_parsed_with_exact_spans() -> None:
    file = load_requirements("requirements.txt", REQUIREMENTS)
    assert file.kind is FileKind.REQUIREMENTS
    names = [r.name for r in file.requirements]
    assert names == [
        "requests",
        "Django",
        "celery",
        "uvloop",
        "gunicorn",
        "internal-sdk",
        "acme-auth",
        None,
        "acme-tools",
        None,
    ]
    requests = file.requirement("requests")
    assert requests.text == "requests==2.32.3"
    assert requests.span == Span(7, 1, 9, 83)  # across the continuation lines, hashes included
    assert requests.name_span == Span(7, 1, 7, 9)
    assert requests.pinned and requests.version == "2.32.3"
    assert requests.hashes == (
        "sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6",
        "sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760",
    )
    assert requests.options[1].span == Span(9, 5, 9, 83)
    django = file.requirement("django")
    assert django.name_span == Span(10, 1, 10, 7) and django.span == Span(10, 1, 10, 60)
    assert django.normalized_name == "django"
    assert django.specifier == SpecifierSet(">=4.2,<5.0") and not django.pinned and django.version is None
    assert django.extras == ("argon2", "bcrypt")
    assert django.marker == Marker('python_version >= "3.10"')


def test_pinned_means_exactly_one_version() -> None:
    file = load_requirements(
        "requirements.txt",
        "a==1.0\nb==1.*\nc===1.0+local\nd==1.0,<2\ne>=1\nf\ng @ https://x.invalid/g-1.0.tar.gz\nh == 2.0 ; os_name == 'nt'\n",
    )
    pinned = {r.name: (r.pinned, r.version) for r in file.requirements}
    assert pinned == {
        "a": (True, "1.0"),
        "b": (False, None),
        "c": (True, "1.0+local"),
        "d": (False, None),
        "e": (False, None),
        "f": (False, None),
        "g": (False, None),
        "h": (True, "2.0"),
    }


def test_urls_paths_and_editables() -> None:
    file = load_requirements("requirements.txt", REQUIREMENTS)
    sdk = file.requirement("internal-sdk")
    assert sdk.url == "git+https://github.com/acme/internal-sdk.git@v3.1.0" and not sdk.pinned
    wheel = file.requirement("acme-auth")
    assert wheel.url.endswith("acme_auth-2.0.1-py3-none-any.whl") and wheel.name_span is None
    assert wheel.span == Span(15, 1, 15, 68)
    local = file.requirements[7]
    assert local.url == "./vendor/legacy-client" and local.name is None and local.span == Span(16, 1, 16, 23)
    tools = file.requirement("acme-tools")
    assert tools.editable and tools.url == "git+https://github.com/acme/tools.git@main#egg=acme-tools"
    assert tools.span == Span(17, 1, 17, 61)
    dev = file.requirements[-1]
    assert dev.editable and dev.url == "." and dev.extras == ("dev",) and dev.span == Span(18, 1, 18, 10)


def test_options_and_includes_keep_their_spans_and_variables() -> None:
    file = load_requirements("requirements.txt", REQUIREMENTS)
    assert [(o.name, o.value) for o in file.includes] == [
        ("--requirement", "requirements/base.txt"),
        ("--constraint", "constraints.txt"),
    ]
    assert file.includes[0].span == Span(2, 1, 2, 25) and file.includes[0].value_span == Span(2, 4, 2, 25)
    index = next(o for o in file.options if o.name == "--index-url")
    assert index.value == "https://${PYPI_USER}:${PYPI_TOKEN}@pypi.internal/simple"  # not expanded
    assert index.value_span == Span(4, 13, 4, 68)
    extra, trusted = (o for o in file.options if o.span.line == 5)
    assert extra == RequirementOption(
        "--extra-index-url", "https://mirror.internal/simple", Span(5, 1, 5, 49), Span(5, 19, 5, 49)
    )
    assert trusted.name == "--trusted-host" and trusted.value_span == Span(5, 65, 5, 80)
    editables = [o.value for o in file.options if o.name == "--editable"]
    assert editables == ["git+https://github.com/acme/tools.git@main#egg=acme-tools", ".[dev]"]
    assert file.problems == ()


def test_short_options_with_attached_values_and_flags() -> None:
    file = load_requirements("requirements.in", "-rbase.in\n-i https://pypi.org/simple\n--pre --require-hashes\n")
    assert [(o.name, o.value, o.span) for o in file.options] == [
        ("--requirement", "base.in", Span(1, 1, 1, 10)),
        ("--index-url", "https://pypi.org/simple", Span(2, 1, 2, 27)),
        ("--pre", None, Span(3, 1, 3, 6)),
        ("--require-hashes", None, Span(3, 7, 3, 23)),
    ]
    assert file.options[0].value_span == Span(1, 3, 1, 10)


def test_comments_are_stripped_but_a_hash_inside_a_token_is_not_a_comment() -> None:
    text = "# pinned by pip-compile\nflask==3.0.0  # via -r requirements.in\nx @ https://h.invalid/x.zip#sha256=ab\n"
    file = load_requirements("requirements.txt", text)
    flask, x = file.requirements
    assert flask.text == "flask==3.0.0" and flask.span == Span(2, 1, 2, 13)
    assert x.url == "https://h.invalid/x.zip#sha256=ab"


def test_a_comment_ending_in_a_backslash_does_not_continue() -> None:
    file = load_requirements("requirements.txt", "# old pins \\\nattrs==23.2.0\n")
    assert [r.name for r in file.requirements] == ["attrs"]


def test_unparseable_lines_are_problems_and_the_rest_is_still_read() -> None:
    text = "requests==2.32.3\nnumpy=>1.26\nthis is not a requirement\nurllib3<3\n--frobnicate yes\n-r\n"
    file = load_requirements("requirements.txt", text)
    assert [r.name for r in file.requirements] == ["requests", "urllib3"]
    assert [p.span for p in file.problems] == [
        Span(2, 1, 2, 12),
        Span(3, 1, 3, 26),
        Span(5, 1, 5, 13),
        Span(6, 1, 6, 3),
    ]
    assert file.problems[0].message.startswith("not a valid requirement: ")
    assert file.problems[2] == RequirementProblem("unknown option '--frobnicate'", Span(5, 1, 5, 13))
    assert file.problems[3].message == "--requirement needs a value"


def test_options_that_do_not_belong_on_a_line_are_problems() -> None:
    text = "pkg==1.0 --index-url https://x.invalid\n--hash=sha256:ab\n--pre stray\n"
    file = load_requirements("requirements.txt", text)
    assert [p.message for p in file.problems] == [
        "--index-url does not apply to a requirement on its line; pip ignores it",
        "--hash belongs after a requirement on the same line",
        "unexpected text among the options; pip ignores it",
    ]
    assert file.problems[2].span == Span(3, 7, 3, 12)
    assert file.requirement("pkg").pinned


def test_crlf_line_endings_and_a_byte_order_mark() -> None:
    file = load_requirements("requirements.txt", "\ufeffattrs==23.2.0\r\nrich \\\r\n  >=13\r\n")
    attrs_req, rich = file.requirements
    assert attrs_req.name_span == Span(1, 2, 1, 7)
    assert rich.specifier == SpecifierSet(">=13") and rich.span == Span(2, 1, 3, 7)


def test_nul_bytes_mean_a_binary_file() -> None:
    with pytest.raises(LoadError) as caught:
        load_requirements("requirements.txt", "flask\n\x00\x01\x02PK\x03\x04")
    assert caught.value.kind == "requirements" and caught.value.line == 2


def test_the_registry_loads_requirements_files() -> None:
    for path in ("requirements.txt", "requirements/dev.txt", "constraints.txt", "dev-requirements.in"):
        file = load(path, "flask\n")
        assert isinstance(file, RequirementsFile) and file.requirement("Flask") is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(st.characters(blacklist_categories=()), max_size=300)
    | st.text(st.sampled_from("abc=<>!~.*;@[],#\\ \n\t-er/:'\"${}"), max_size=300)
)
def test_any_text_loads_or_raises_load_error(text: str) -> None:
    try:
        file = load_requirements("requirements.txt", text)
    except LoadError:
        return
    for item in (*file.requirements, *file.options, *file.problems):
        assert 1 <= item.span.line <= item.span.end_line
    for requirement in file.requirements:
        requirement.pinned  # noqa: B018
        requirement.normalized_name  # noqa: B018
