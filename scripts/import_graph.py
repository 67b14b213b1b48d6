"""Print the import graph of bot/ and actions/ (imports that run, not annotations) and its cycles.

    .venv/bin/python scripts/import_graph.py            # cycles and a summary
    .venv/bin/python scripts/import_graph.py --edges    # every module and what it imports

Built on grimp, the graph library under import-linter (whose contracts in pyproject.toml keep
the layers); this shows what the contracts do not: the whole graph, and any cycle in it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(edges: bool) -> int:
    """Print the graph; exit 1 when there is an import cycle."""
    graph = grimp.build_graph("bot", "actions", exclude_type_checking_imports=True)
    modules = sorted(graph.modules)
    cycles = set()
    count = 0
    for module in modules:
        imports = sorted(graph.find_modules_directly_imported_by(module))
        count += len(imports)
        for imported in imports:
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                cycles.add(" -> ".join((module, *back)))
        if edges:
            print(f"{module}: {', '.join(imports) or '-'}")
    print(f"{len(modules)} modules, {count} direct imports, {len(cycles)} import cycles")
    for cycle in sorted(cycles):
        print(f"  cycle: {cycle}")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main("--edges" in sys.argv))
