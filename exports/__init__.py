"""Exports of a workshop: the follow-up PDF, Excel/CSV tables, the JSON backup and its restore.

Modules (imported on use, so that ``import exports`` stays light):

* :mod:`exports.snapshot` - one workshop read through the Store API as a JSON-ready dict;
* :mod:`exports.backup`   - JSON backup with ``format_version``, validation and restore;
* :mod:`exports.partnership` - a partnership with all its workshops as one backup, and its restore;
* :mod:`exports.tables`   - pandas tables, Excel (``to_xlsx``) and a CSV zip (``to_csv_zip``);
* :mod:`exports.pdf`      - the follow-up report (``build_pdf``), fpdf2, vector charts;
* :mod:`exports.summary`  - the one-page summary that opens the report;
* :mod:`exports.minutes`  - the summary and agreements as a Word document (``build_docx``);
* :mod:`exports.progress` - a partnership over time: trend, follow-through, voortgangsverslag;
* :mod:`exports.demo`     - a realistic demo workshop of N participants;
* ``python -m exports``   - the command line (see ``exports/__main__.py``).

Imports no streamlit.
"""
