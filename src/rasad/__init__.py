"""rasad (رصد): Arabic news in, structured, geocoded, source-attributed conflict events out."""

__version__ = "0.1.0"
