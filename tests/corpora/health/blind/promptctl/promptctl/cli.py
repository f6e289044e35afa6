"""promptctl - manage prompts in the registry from your terminal."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from . import __version__
from .client import RegistryClient
from .config import Config

console = Console()


@click.group()
@click.version_option(__version__)
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.obj = RegistryClient(Config.load())


@cli.command()
@click.option("--tag")
@click.pass_obj
def ls(client: RegistryClient, tag: str | None) -> None:
    """List prompts."""
    table = Table("name", "version", "updated")
    for p in client.list_prompts(tag):
        table.add_row(p["name"], str(p["version"]), p["updated_at"])
    console.print(table)


@cli.command()
@click.argument("name")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def push(client: RegistryClient, name: str, path: Path) -> None:
    """Upload PATH as a new version of NAME."""
    result = client.push(name, path.read_text())
    console.print(f"[green]pushed[/] {name} v{result['version']}")


@cli.command()
@click.pass_obj
def doctor(client: RegistryClient) -> None:
    """Check connectivity to the registry server."""
    ok, detail = client.server_health()
    console.print(("[green]ok[/] " if ok else "[red]unreachable[/] ") + detail)
    sys.exit(0 if ok else 1)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
