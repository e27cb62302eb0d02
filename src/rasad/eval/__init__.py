"""rasad.eval"""
