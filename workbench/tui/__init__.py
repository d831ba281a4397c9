"""The Textual interface: a thin layer over ``workbench.store``.

Only this package imports Textual or Rich. ``session`` and ``spans`` are plain Python (the state
and geometry of one reviewer's coding session), so they are testable without a terminal.
Entry point: ``workbench.tui.app.run(project_path, reviewer)``.
"""
