"""Tables: ruled-table geometry (pure steps), words into cells, and the appendix tables of 附2/附3."""

from pipeline.tables.appendix import extract_appendix
from pipeline.tables.cells import CellText, Table
from pipeline.tables.finder import TableFinding, find_tables, text_table
from pipeline.tables.geometry import Cell, Frame, Grid, Rule, Tolerances

__all__ = [
    "Cell", "CellText", "Frame", "Grid", "Rule", "Table", "TableFinding", "Tolerances",
    "extract_appendix", "find_tables", "text_table",
]
