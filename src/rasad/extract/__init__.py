"""rasad.extract"""
