"""MIG008, MIG009, MIG017: the migration history as a whole, and statements that could not be read."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from prodready_lint.sdk import (
    Context,
    FileKind,
    MigrationFormat,
    OpKind,
    RepoContext,
    RepoRule,
    Repository,
    Rule,
    Severity,
    SourceFile,
    SqlFile,
    read_migration,
)

from ._common import ALEMBIC, ANY_JUDGED, DATA, DJANGO_HISTORY, KINDS, forward


class UpMigrationWithoutDown(RepoRule):
    """A golang-migrate `.up.sql` file without its `.down.sql`.

    ## What it does
    Checks that every `NNN_name.up.sql` has a `NNN_name.down.sql` beside it.

    ## Why is this bad?
    `migrate down` has nothing to run for that version: the change cannot be rolled
    back with the tool, only by hand during an incident.

    ## Example
    ```sql title="db/migrations/000090_add_coupons.up.sql"
    CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL);
    ```

    ## Use instead
    ```sql title="db/migrations/000090_add_coupons.up.sql"
    CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL);
    ```

    ```sql title="db/migrations/000090_add_coupons.down.sql"
    DROP TABLE coupons;
    ```

    ## Notes
    Flyway versioned files (`V1__x.sql`) are not expected to have undo files.
    """

    id = "MIG008"
    name = "up-migration-without-down"
    summary = "golang-migrate .up.sql without a matching .down.sql"
    checklist = (*DATA, "rollback")
    severity = Severity.MEDIUM
    kinds = frozenset({FileKind.SQL})
    cwe = (703,)
    references = ("https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md",)

    def collect(self, file: SqlFile, ctx: Context) -> Any:
        name = file.path.rsplit("/", 1)[-1]
        if not name.lower().endswith(".up.sql"):
            return None
        migration = read_migration(file)
        if migration is None or migration.format is not MigrationFormat.GOLANG_MIGRATE:
            return None
        span = file.statements[0].span if file.statements else file.span_from_offsets(0, 0)
        return {"span": span}

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        present = {info.path.lower() for info in repo.files}
        for path, fact in sorted(repo.facts.items()):
            if not fact:
                continue
            down = path[: -len(".up.sql")] + ".down.sql"
            if down.lower() not in present:
                ctx.report(
                    path,
                    fact["span"],
                    f"{path.rsplit('/', 1)[-1]} has no {down.rsplit('/', 1)[-1]}: this version cannot be "
                    "rolled back with migrate down; add a down file that undoes it",
                )


class MultipleMigrationHeads(RepoRule):
    """A migration history with more than one head.

    ## What it does
    Checks Alembic revisions and Django migrations as one history per directory (Alembic)
    or app (Django): two Alembic revisions with the same `down_revision` and no merge
    revision after them, or two leaf migrations of one Django app (typically two
    `0005_*` files from two branches) with no merge migration. Squashed migrations
    (`replaces`) stand for the migrations they replace.

    ## Why is this bad?
    `alembic upgrade head` stops with "Multiple head revisions are present", and Django's
    `migrate` with "Conflicting migrations detected": the deploy fails.

    ## Example
    ```python title="migrations/versions/a1_add_orders.py"
    from alembic import op

    revision = "a1"
    down_revision = "a0"


    def upgrade():
        op.create_table("orders")


    def downgrade():
        op.drop_table("orders")
    ```

    ```python title="migrations/versions/b1_add_invoices.py"
    from alembic import op

    revision = "b1"
    down_revision = "a0"


    def upgrade():
        op.create_table("invoices")


    def downgrade():
        op.drop_table("invoices")
    ```

    ## Use instead
    ```python title="migrations/versions/a1_add_orders.py"
    from alembic import op

    revision = "a1"
    down_revision = "a0"


    def upgrade():
        op.create_table("orders")


    def downgrade():
        op.drop_table("orders")
    ```

    ```python title="migrations/versions/b1_add_invoices.py"
    from alembic import op

    revision = "b1"
    down_revision = "a1"


    def upgrade():
        op.create_table("invoices")


    def downgrade():
        op.drop_table("invoices")
    ```

    ## Notes
    Alembic branches given a `branch_labels` name are deliberate and not flagged. Fix
    with `alembic merge heads` or `manage.py makemigrations --merge`, or rebase the newer
    migration onto the other.
    """

    id = "MIG009"
    name = "multiple-migration-heads"
    summary = "migration history has more than one head"
    checklist = DATA
    severity = Severity.HIGH
    kinds = frozenset({FileKind.PYTHON})
    collect_triggers = (ALEMBIC, *DJANGO_HISTORY)
    triggers_ignore_case = True
    cwe = (703,)
    references = (
        "https://alembic.sqlalchemy.org/en/latest/branches.html",
        "https://docs.djangoproject.com/en/stable/topics/migrations/#version-control",
    )

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        migration = read_migration(file)
        if migration is None or migration.format not in (MigrationFormat.ALEMBIC, MigrationFormat.DJANGO):
            return None
        return {
            "format": str(migration.format),
            "revision": migration.revision,
            "parents": list(migration.parents),
            # Alembic: the down_revision line that forks; Django: the migration's class,
            # since its parents are the app's whole dependency list.
            "span": migration.span if migration.format is MigrationFormat.DJANGO else migration.parents_span,
            "labels": list(migration.branch_labels),
            "app": migration.app,
            "replaces": list(migration.replaces),
        }

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        alembic: dict[str, dict[str, tuple[str, dict]]] = defaultdict(dict)
        django: dict[str, dict[str, tuple[str, dict]]] = defaultdict(dict)
        for path, fact in repo.facts.items():
            if not fact or not fact.get("revision"):
                continue
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            if fact["format"] == "alembic":
                # one history per versions directory, its subdirectories included
                # (recursive_version_locations)
                padded = f"/{folder}/"
                marker = padded.find("/versions/")
                root = padded[1 : marker + len("/versions")] if marker >= 0 else folder
                alembic[root][fact["revision"]] = (path, fact)
            else:
                django[folder][fact["revision"].rsplit(".", 1)[-1]] = (path, fact)
        for nodes in alembic.values():
            self._alembic(nodes, ctx)
        for nodes in django.values():
            self._django(nodes, ctx)

    def _alembic(self, nodes: dict[str, tuple[str, dict]], ctx: RepoContext) -> None:
        children: dict[str, list[str]] = defaultdict(list)
        for revision, (_, fact) in nodes.items():
            for parent in fact["parents"]:
                children[parent].append(revision)
        heads = [revision for revision in nodes if not children.get(revision)]
        labelled = self._labelled(nodes)
        heads = [head for head in heads if head not in labelled]
        if len(heads) < 2:
            return
        self._report_siblings(nodes, children, set(heads), ctx, "revision", "alembic merge heads")

    @staticmethod
    def _labelled(nodes: dict[str, tuple[str, dict]]) -> set[str]:
        """Revisions on a named branch: a labelled revision and its descendants."""
        out = {revision for revision, (_, fact) in nodes.items() if fact["labels"]}
        changed = bool(out)
        while changed:
            changed = False
            for revision, (_, fact) in nodes.items():
                if revision not in out and any(parent in out for parent in fact["parents"]):
                    out.add(revision)
                    changed = True
        return out

    def _django(self, nodes: dict[str, tuple[str, dict]], ctx: RepoContext) -> None:
        # the app label the migrations use for themselves
        labels: dict[str, int] = defaultdict(int)
        for _, fact in nodes.values():
            for parent in fact["parents"]:
                label, _, name = parent.rpartition(".")
                if name in nodes:
                    labels[label] += 1
        app = next(iter(nodes.values()))[1]["app"]
        own = max(labels, key=labels.get) if labels else app
        replaced = {}
        for name, (_, fact) in nodes.items():
            for item in fact["replaces"]:
                label, _, old = item.rpartition(".")
                if label in (own, app):
                    replaced[old] = name
        children: dict[str, list[str]] = defaultdict(list)
        for name, (_, fact) in nodes.items():
            for parent in fact["parents"]:
                label, _, target = parent.rpartition(".")
                if label in (own, app) and target in nodes:
                    children[replaced.get(target, target)].append(name)
                    if target in replaced:
                        children[target].append(name)
        live = [name for name in nodes if name not in replaced]
        heads = [name for name in live if not children.get(name)]
        if len(heads) < 2:
            return
        self._report_siblings(nodes, children, set(heads), ctx, "migration", "manage.py makemigrations --merge")

    @staticmethod
    def _report_siblings(nodes, children, heads: set[str], ctx: RepoContext, noun: str, fix: str) -> None:
        """Report the heads (at the line naming their parent), each naming the others."""
        for head in sorted(heads, key=lambda h: nodes[h][0]):
            path, fact = nodes[head]
            others = ", ".join(repr(other) for other in sorted(heads) if other != head)
            ctx.report(
                path,
                fact["span"],
                f"{noun} {head!r} is a head of the history alongside {others}: upgrading to head fails with "
                f"multiple heads; merge them ({fix}) or rebase one onto the other",
            )


class UnanalyzableMigrationStatement(Rule):
    """A migration statement the SQL parser could not read.

    ## What it does
    Reports the statements of forward migrations (SQL files, `op.execute()`, `RunSQL`)
    that alter, index, drop, truncate or rewrite data but could not be parsed, so that
    they are reviewed by hand instead of silently passed as safe.

    ## Why is this bad?
    A statement the checks cannot read may drop data or lock a table as well as any
    other: unknown is not safe.

    ## Example
    ```sql title="db/migrations/000100_partition.up.sql"
    ALTER TABLE events SPLIT PARTITION p0 INTO (PARTITION p1, PARTITION p2);
    ```

    ## Use instead
    ```sql title="db/migrations/000100_partition.up.sql"
    ALTER TABLE events ADD COLUMN region text;
    ```
    """

    id = "MIG017"
    name = "unanalyzable-migration-statement"
    summary = "migration statement could not be analyzed"
    checklist = DATA
    severity = Severity.LOW
    kinds = KINDS
    triggers = (ALEMBIC, "runsql", ANY_JUDGED)
    triggers_ignore_case = True
    cwe = (710,)
    references = ("https://www.postgresql.org/docs/current/sql-commands.html",)

    def check(self, file: SourceFile, ctx: Context) -> None:
        _, ops = forward(file)
        for op in ops:
            if op.kind is OpKind.UNANALYZED:
                statement = op.statement
                reason = f" ({statement.error})" if statement is not None and statement.error else ""
                ctx.report(
                    op.span,
                    f"could not analyze this statement{reason}: review by hand whether it drops data or locks a table",
                )
