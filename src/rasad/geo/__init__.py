"""Geocoding: the packaged gazetteer, toponym recognition and resolution.

    from rasad.geo import load_geocoder
    geocoder = load_geocoder()
    mentions = geocoder.locate(doc)          # every toponym, resolved, in text order
    focus = geocoder.focus(doc, mentions)    # the document's main place
"""

from rasad.geo.gazetteer import Gazetteer, GazetteerPlace, load_gazetteer
from rasad.geo.geocoder import FakeGeocoder, GazetteerGeocoder, Geocoder, load_geocoder

__all__ = ["FakeGeocoder", "Gazetteer", "GazetteerGeocoder", "GazetteerPlace", "Geocoder",
           "load_gazetteer", "load_geocoder"]
