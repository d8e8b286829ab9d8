"""The floor plan: the grader's packages import each other without cycles, the code a student's
kernel imports stays on its side, and the students' package holds none of the grader."""

import ast

import pytest
from support import REPO

PACKAGES = ("autograder", "nnscratch")


def module_name(path):
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    """{module name: its path} of every module of the course's packages."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((REPO / package).rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def imports_of(name, path, known):
    """The course modules `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in known}
    return found - {name}


@pytest.fixture(scope="module")
def graph():
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_no_module_of_the_course_imports_itself_back_through_others(graph):
    cycles, done = [], set()

    def visit(name, trail):
        if name in trail:
            cycles.append(trail[trail.index(name) :] + [name])
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, trail + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_a_students_kernel_imports_no_grading_code_beyond_autograder_kernel(graph):
    kernel = {name for name in graph if name.startswith("autograder.kernel")}
    reached, stack = set(), list(kernel)
    while stack:
        for imported in graph[stack.pop()]:
            if imported not in reached:
                reached.add(imported)
                stack.append(imported)
    outside = {name for name in reached if name.startswith("autograder") and name not in kernel} - {
        "autograder"
    }
    assert not outside, f"autograder.kernel imports {sorted(outside)}, which the sandbox hides"


def test_the_students_package_imports_nothing_of_the_grader(graph):
    offending = {
        name: sorted(i for i in imported if i.startswith("autograder"))
        for name, imported in graph.items()
        if name.startswith("nnscratch") and any(i.startswith("autograder") for i in imported)
    }
    assert not offending


def test_the_sandbox_shows_a_kernel_only_the_kernel_package_of_the_grader():
    from autograder.sandbox.bubblewrap import KERNEL_SIDE

    assert set(KERNEL_SIDE) == {REPO / "autograder" / "__init__.py", REPO / "autograder" / "kernel"}


def test_a_cycle_is_found_when_there_is_one():
    # The walk above, on a made-up graph with a cycle: the test can fail.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    with pytest.raises(AssertionError, match="a -> b -> c -> a"):
        test_no_module_of_the_course_imports_itself_back_through_others(graph)
