"""Build stages from instructions: each FROM's base resolved the way BuildKit resolves it.

A ``FROM`` line sees only the global ``ARG`` instructions (those before the first
``FROM``); each default is itself expanded with the defaults before it, and an ``ARG``
without a default leaves an earlier value in place. A name with no known value expands
to nothing, as in a build without ``--build-arg``, and is reported in
``Stage.unresolved_args`` (with the names its value depends on), since a build may
supply it. The resolved base names an earlier stage when it equals that stage's
(lower-cased) name; otherwise it is parsed as an image reference.
"""

from __future__ import annotations

from ._shell_lex import ShellSyntaxError, expand
from .dockerfile import FromInstruction, Instruction, KeyValue, Stage
from .image_ref import ImageRef

__all__ = ["build_stages"]


def _known_args(global_args: tuple[KeyValue, ...], escape: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The global ARG defaults, expanded in order, and for each the names it could not resolve."""
    values: dict[str, str] = {}
    unknown: dict[str, tuple[str, ...]] = {}
    for pair in global_args:
        if pair.raw_value is None:
            if pair.key not in values:
                unknown[pair.key] = (pair.key,)
            continue
        try:
            value, missing, used = expand(pair.raw_value, escape, values)
        except ShellSyntaxError:
            value, missing, used = pair.raw_value, (), ()
        values[pair.key] = value
        unknown[pair.key] = _merge(missing, *(unknown.get(name, ()) for name in used))
    return values, unknown


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for group in groups:
        out.extend(name for name in group if name not in out)
    return tuple(out)


def build_stages(
    instructions: tuple[Instruction, ...], global_args: tuple[KeyValue, ...], escape: str
) -> tuple[Stage, ...]:
    values, unknown = _known_args(global_args, escape)
    # An ARG declared without a default is unknown, but BuildKit still expands it to "".
    lookup = {name: values.get(name, "") for name in unknown} | values
    bodies: dict[int, list[Instruction]] = {}
    froms: list[FromInstruction] = []
    for instruction in instructions:
        if isinstance(instruction, FromInstruction):
            froms.append(instruction)
            bodies[len(froms) - 1] = []
        elif instruction.stage is not None:
            bodies[instruction.stage].append(instruction)
    stages: list[Stage] = []
    by_name: dict[str, Stage] = {}
    for index, from_instruction in enumerate(froms):
        base = from_instruction.base.value
        try:
            resolved: str | None
            resolved, missing, used = expand(base, escape, lookup)
            unresolved = _merge(missing, *(unknown.get(name, ()) for name in used))
        except ShellSyntaxError:
            resolved, unresolved = None, ()
        base_stage = by_name.get(resolved) if resolved else None
        image = None
        if resolved and base_stage is None:
            try:
                image = ImageRef.parse(resolved)
            except ValueError:
                image = None
        stage = Stage(
            index,
            from_instruction.stage_name,
            from_instruction,
            tuple(bodies[index]),
            base,
            resolved,
            unresolved,
            image,
            base_stage,
        )
        stages.append(stage)
        if stage.name:
            by_name[stage.name] = stage
    return tuple(stages)
