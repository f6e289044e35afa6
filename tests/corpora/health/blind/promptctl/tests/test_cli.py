from click.testing import CliRunner

from promptctl.cli import cli


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert "0.4.1" in result.output
