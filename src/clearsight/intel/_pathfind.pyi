"""Types of the compiled shortest path (``_pathfind.c``)."""

from typing import Any

def shortest_path(
    graphs: tuple[tuple[Any, ...], ...],
    hidden: Any,
    source: int,
    target: int,
    area: int,
    type_mask: int,
    since_day: int,
    until_day: int,
    worst_evaluation: int,
    worst_assessment: int,
    max_depth: int,
    max_visited: int,
    /,
) -> tuple[list[int], list[tuple[int, int]]] | None: ...
