"""The packaged gazetteer: OpenSyria P-codes, Iraq's governorates, the curated list, load time."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from rasad.doc import Doc
from rasad.geo import load_geocoder
from rasad.geo.gazetteer import name_key
from rasad.records import RawDocument

LEVEL_WORD = {"governorates": "محافظة", "districts": "منطقة", "subdistricts": "ناحية"}


def geo_data(name: str) -> str:
    return (files("rasad") / "data" / "geo" / name).read_text(encoding="utf-8")


def first_place(text: str):
    doc = Doc.from_raw(RawDocument("t", text))
    mentions = load_geocoder().locate(doc)
    assert mentions, f"no place found in {text!r}"
    return mentions[0].place


def opensyria_cases() -> list[tuple[str, str, str]]:
    data = json.loads(geo_data("opensyria.json"))
    governorates = {g["id"]: g["name_ar"] for g in data["governorates"]}
    cases = []
    for level, word in LEVEL_WORD.items():
        entries = data[level]
        shared = Counter(name_key(n) for e in entries
                         for n in {name_key(x) for x in [e["name_ar"], *e["aliases_ar"]]})
        for e in entries:
            for name in dict.fromkeys([e["name_ar"], *e["aliases_ar"]]):
                text = name if name.startswith(word) else f"{word} {name}"
                if shared[name_key(name)] > 1:  # the same name in two governorates
                    gov = governorates[e["governorate"] or e["id"]]
                    text += f" في محافظة {gov}"
                cases.append((text, e["pcode"], level))
    return cases


def test_every_opensyria_unit_resolves_from_each_arabic_name_to_its_pcode() -> None:
    cases = opensyria_cases()
    assert len(cases) > 14 + 62 + 272
    wrong = [(text, pcode, first_place(text).pcode) for text, pcode, _ in cases
             if first_place(text).pcode != pcode]
    assert wrong == []


def test_governorate_names_in_a_syrian_text_resolve_to_syria() -> None:
    data = json.loads(geo_data("opensyria.json"))
    for g in data["governorates"]:
        place = first_place(f"اشتباكات في {g['name_ar']} في سوريا")
        assert place.country == "SY", g["name_ar"]
        assert place.admin1 == g["name_en"]


IRAQ = {  # governorate (Arabic) → (English admin1, capital in Arabic)
    "الأنبار": ("Al Anbar", "الرمادي"), "بابل": ("Babil", "الحلة"), "بغداد": ("Baghdad", "بغداد"),
    "البصرة": ("Basrah", "البصرة"), "ذي قار": ("Dhi Qar", "الناصرية"),
    "ديالى": ("Diyala", "بعقوبة"), "دهوك": ("Duhok", "دهوك"), "أربيل": ("Erbil", "أربيل"),
    "كربلاء": ("Karbala", "كربلاء"), "كركوك": ("Kirkuk", "كركوك"),
    "ميسان": ("Maysan", "العمارة"), "المثنى": ("Muthanna", "السماوة"),
    "النجف": ("Najaf", "النجف"), "نينوى": ("Nineveh", "الموصل"),
    "القادسية": ("Al-Qadisiyah", "الديوانية"), "صلاح الدين": ("Salah al-Din", "تكريت"),
    "السليمانية": ("Sulaymaniyah", "السليمانية"), "واسط": ("Wasit", "الكوت"),
}


@pytest.mark.parametrize("governorate", sorted(IRAQ))
def test_iraq_governorates_and_capitals_resolve_from_arabic(governorate: str) -> None:
    admin1, capital = IRAQ[governorate]
    gov = first_place(f"محافظة {governorate}")
    assert (gov.country, gov.feature, gov.admin1) == ("IQ", "admin1", admin1)
    city = first_place(f"انفجار في مدينة {capital} العراقية")
    assert (city.country, city.feature, city.admin1) == ("IQ", "city", admin1)


def test_curated_list_has_150_sourced_entries_with_real_coordinates() -> None:
    places = yaml.safe_load(geo_data("curated_places.yaml"))["places"]
    assert len(places) >= 150
    assert len({p["id"] for p in places}) == len(places)
    for p in places:
        assert p["source"].strip() and p["ar"], p["id"]
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, p["id"]
        gazetteer_place = load_geocoder().gazetteer.by_gid[f"curated:{p['id']}"]
        assert gazetteer_place.source.startswith(p["source"])


def test_every_country_has_arabic_and_acled_names() -> None:
    geocoder = load_geocoder()
    assert len(geocoder.gazetteer.countries) >= 240
    assert geocoder.country_name("SY") == "Syria"
    assert geocoder.country_name("TR") == "Turkey"
    assert geocoder.country_name("PS") == "Palestine"
    assert first_place("زار الوزير تركيا").country == "TR"


def test_the_common_word_audit_lists_names_used_mostly_as_plain_words(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    sys.modules["build_gazetteer"] = build  # dataclasses look their module up there
    spec.loader.exec_module(build)
    corpus = tmp_path / "news.jsonl.gz"
    lines = [{"id": str(k), "text": "فاز أتلتيك بلباو على خصمه ووصل الوفد إلى بغداد"}
             for k in range(10)]
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    out = io.StringIO()
    build.audit_corpus(corpus, 100, out)
    rows = [line.split("\t") for line in out.getvalue().splitlines()[1:]]
    # «بغداد» follows a locative word; «بلباو» (Bilbao, a football club here) never does.
    assert [r[0] for r in rows] == ["بلباو"]
    assert rows[0][1:4] == ["10", "10", "0.00"]
