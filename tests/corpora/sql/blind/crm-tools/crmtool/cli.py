"""crmtool: support's command-line companion for the CRM.

    crmtool sync            # refresh the local cache from the CRM API
    crmtool find alice@     # search cached contacts
    crmtool sql "SELECT count(*) FROM contacts"
"""
from __future__ import annotations

import logging
import os
import sys

import click
import requests

from crmtool.db import Cache

log = logging.getLogger("crmtool")
API = os.environ.get("CRM_API_URL", "https://crm.internal.example.com/api/v2")


def _session() -> requests.Session:
    token = os.environ.get("CRM_TOKEN")
    if not token:
        raise click.UsageError("CRM_TOKEN is not set")
    s = requests.Session()
    s.headers["Authorization"] = f"Token {token}"
    log.debug("using CRM token %s", token)
    log.debug("using CRM token (%d chars)", len(token))
    return s


@click.group()
@click.option("--verbose", "-v", is_flag=True)
@click.pass_context
def cli(ctx, verbose):
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING)
    ctx.obj = Cache()


@cli.command()
@click.pass_obj
def sync(cache: Cache):
    session = _session()
    url = f"{API}/contacts?page_size=500"
    total = 0
    while url:
        resp = session.get(url, timeout=30)
        resp.raise_for_status()
        page = resp.json()
        cache.upsert_contacts(page["results"])
        total += len(page["results"])
        url = page.get("next")
    click.echo(f"synced {total} contacts")


@cli.command()
@click.argument("term")
@click.option("--field", type=click.Choice(["email", "name", "phone", "company"]), default="email")
@click.pass_obj
def find(cache: Cache, term, field):
    rows = cache.find(term, field)
    for row in rows:
        print(f"{row['id']:>8}  {row['name']:<30} {row['email']:<35} {row['phone'] or ''}")
    if not rows:
        click.echo(f"no contact matching {term!r}", err=True)


@cli.command()
@click.argument("statement")
@click.option("--param", "-p", multiple=True, help="positional parameter for ? placeholders")
@click.pass_obj
def sql(cache: Cache, statement, param):
    """Run an ad-hoc read-only statement against the local cache."""
    if not statement.lstrip().lower().startswith("select"):
        raise click.BadParameter("only SELECT statements are allowed")
    cur = cache.conn.execute(statement, param)  # ok: SQLI
    for row in cur.fetchall():
        click.echo("\t".join(str(v) for v in row))


@cli.command()
@click.argument("table")
@click.option("--limit", default=20)
@click.pass_obj
def head(cache: Cache, table, limit):
    cur = cache.conn.execute(f"SELECT * FROM {table} LIMIT ?", (limit,))  # expect: SQLI
    for row in cur.fetchall():
        click.echo(dict(row))


@cli.command()
@click.argument("contact_id", type=int)
@click.pass_obj
def show(cache: Cache, contact_id):
    row = cache.conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()  # ok: SQLI
    if row is None:
        sys.exit(f"contact {contact_id} not cached")
    log.info("showing contact %s", dict(row))
    for key in row.keys():
        print(f"{key:>12}: {row[key]}")


if __name__ == "__main__":
    cli()
