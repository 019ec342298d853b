"""A contract type import-linter lacks: "never import another app's X".

``foreign_modules``: no module matching ``source_modules`` imports, directly, a module matching
``forbidden_modules`` that belongs to another app. An app is the deepest package matching one of ``apps``
(``kefu.*``, ``kefu.channels.*``), so ``kefu.tickets.views.list`` may import ``kefu.tickets.models`` but not
``kefu.org.models``. All three options take wildcards, so a new app is covered without editing the list.
Loaded by ``contract_types`` in pyproject.toml (lint-imports puts the working directory on sys.path).
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules


class ForeignModulesContract(Contract):
    type_name = "foreign_modules"

    source_modules = fields.SetField(subfield=fields.ModuleExpressionField())
    forbidden_modules = fields.SetField(subfield=fields.ModuleExpressionField())
    apps = fields.SetField(subfield=fields.ModuleExpressionField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        apps = {m.name for m in module_expressions_to_modules(graph, self.apps)}  # type: ignore[arg-type]
        sources = {
            m.name
            for m in module_expressions_to_modules(graph, self.source_modules, as_packages=True)  # type: ignore[arg-type]
        }
        forbidden = {
            m.name
            for m in module_expressions_to_modules(graph, self.forbidden_modules, as_packages=True)  # type: ignore[arg-type]
        }

        def app_of(module: str) -> str | None:
            owners = [app for app in apps if module == app or module.startswith(app + ".")]
            return max(owners, key=len) if owners else None

        illegal = []
        for importer in sorted(sources):
            for imported in sorted(graph.find_modules_directly_imported_by(importer) & forbidden):
                if app_of(importer) != app_of(imported):
                    lines = sorted(
                        d["line_number"]
                        for d in graph.get_import_details(importer=importer, imported=imported)
                    )
                    illegal.append((importer, imported, lines))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(f"{importer} -> {imported} (l. {', '.join(map(str, lines))})")
            output.new_line()
