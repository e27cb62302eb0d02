"""rasad.geo"""
