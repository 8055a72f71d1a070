"""Excel in: templates for bidders and panels, and reading their workbooks back, every cell located.

`safety` checks a file before any XML is parsed; `sheets` streams one sheet's cells; `cells` turns a
cell into a typed value or a located problem; `workbooks` reads bids and scores workbooks;
`templates` writes the blank workbooks; `library_import` turns a buyer's measure sheet into a library.
"""
