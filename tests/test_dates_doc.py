"""The three finders on a `Doc`: normalised offsets that map back to the words as written."""

import datetime as dt

from rasad.doc import Doc
from rasad.extract.dates import find_dates
from rasad.extract.fatalities import event_fatalities, find_fatalities
from rasad.extract.numbers import find_numbers
from rasad.records import RawDocument

TEXT = ("بغداد - قُتِلَ ١٢ جنديًّا وأُصيب ٢٠ آخرون أمسِ الإثنين في هجومٍ، "
        "فيما لقي مدنيان حتفهما في 14 تموز/يوليو 2015.\nوكان القرار 2216 قد صدر عام 2015.")


def make_doc() -> Doc:
    doc = Doc.from_raw(RawDocument("d1", TEXT, published="2015-07-21"))
    doc.published = dt.date(2015, 7, 21)
    return doc


def test_finders_on_a_doc_map_back_to_the_original_text() -> None:
    doc = make_doc()
    doc.dates = find_dates(doc)
    assert [(doc.span(m.start, m.end).text, m.date, m.kind) for m in doc.dates] == [
        ("أمسِ الإثنين", dt.date(2015, 7, 20), "weekday"),
        ("14 تموز/يوليو 2015", dt.date(2015, 7, 14), "absolute"),
        ("عام 2015", dt.date(2015, 1, 1), "year")]
    doc.numbers = find_numbers(doc)
    assert [(doc.span(m.start, m.end).text, m.value) for m in doc.numbers] == [
        ("١٢", 12), ("٢٠", 20)]  # the year and the resolution number are not counts
    found = find_fatalities(doc)
    assert [(doc.span(m.start, m.end).text, m.value) for m in found] == [
        ("قُتِلَ ١٢ جنديًّا", 12), ("حتفهما", 2)]
    assert event_fatalities(found)[0] == 14  # type: ignore[index]


def test_find_fatalities_runs_the_number_stage_when_it_has_not_run() -> None:
    doc = make_doc()
    assert [m.value for m in find_fatalities(doc)][:1] == [12]
