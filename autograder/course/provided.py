"""The provided cells of a later chapter: an earlier chapter's functions, written by the release
from that chapter's source notebook (one source by construction, like d2l's `#@save`).

A provided cell declares what it holds in its metadata (`nnscratch.chapter`); the release
(`autograder.course.release`) writes its source from here, and `release --check` fails where
a committed one is out of date. This runs only on the instructor's side: it is not in the
students' package.
"""

import ast
import textwrap

from nnscratch.cells import GRADED_MARKER
from nnscratch.chapter import definition


def provided_header(pieces):
    """The comment that opens a provided cell, naming what it holds and where it comes from."""
    if len(pieces) == 1:
        [(origin, name)] = pieces
        return f"# PROVIDED FUNCTION: {name}, from the solution of {origin} (read-only)"
    lines = ["# PROVIDED FUNCTIONS (read-only), from the solutions of earlier chapters:"]
    for origin in dict.fromkeys(origin for origin, _ in pieces):
        names = ", ".join(name for where, name in pieces if where == origin)
        lines += textwrap.wrap(
            f"{origin}: {names}", 96, initial_indent="# ", subsequent_indent="#   "
        )
    return "\n".join(lines)


def provided_source(origin, names, read):
    """The source of a provided cell giving `names` from assignment `origin`.

    `read(assignment)` returns that assignment's chapter models. Each function comes with the
    graded items of its chapter that it calls, and with what its chapter was itself provided
    (chapter 1's sigmoid for chapter 2's propagate), earlier chapters first.
    """
    pieces = _provided_pieces(origin, tuple(names), read, set())
    body = []
    for assignment, name in pieces:
        item = _find_item(read(assignment), name)
        first, _, rest = item.solution.partition("\n")
        body.append(rest.strip("\n") if first.startswith(GRADED_MARKER) else item.solution)
    return provided_header(pieces) + "\n\n\n" + "\n\n\n".join(body)


def _provided_pieces(origin, names, read, seen):
    chapters = read(origin)
    if not chapters:
        raise KeyError(f"a provided cell names the assignment {origin!r}, which has no notebook")
    pieces, needed = [], set()
    for name in names:
        _find_item(chapters, name)  # an unknown name is an error, said here
        needed |= {name} | _callees(chapters, name)
    referred = _free_names(chapters, needed)
    for chapter in chapters:
        for cell in chapter.provided:
            wanted = tuple(name for name in cell.names if name in referred)
            if cell.origin and wanted:
                pieces += _provided_pieces(cell.origin, wanted, read, seen)  # earlier first
    for chapter in chapters:
        for item in chapter.items.values():
            if item.name in needed and (origin, item.name) not in seen:
                seen.add((origin, item.name))
                pieces.append((origin, item.name))
    return pieces


def _find_item(chapters, name):
    for chapter in chapters:
        if name in chapter.items:
            return chapter.items[name]
    raise KeyError(f"{chapters[0].path.parent.name} has no graded item {name!r} to provide")


def _callees(chapters, name):
    """The graded items of the same chapter that `name` calls, followed through their calls."""
    found, stack = set(), [name]
    while stack:
        current = stack.pop()
        for chapter in chapters:
            if current in chapter.items:
                for other in _free_names(chapters, {current}):
                    if other not in found and any(other in c.items for c in chapters):
                        found.add(other)
                        stack.append(other)
    return found - {name}


def _free_names(chapters, names):
    """Every name the solutions of `names` refer to."""
    referred = set()
    for chapter in chapters:
        for name in names:
            if name in chapter.items:
                node = definition(chapter.items[name].solution, name)
                if node is not None:
                    referred |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return referred
