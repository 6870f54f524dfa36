"""The national site-check profile (国办秘函〔2019〕19号 and the 普查 rules): the lines a province
or the State Council scores a district site and its new media against, measured continuously.

``profile`` (pure) judges measured values against the lines; ``home`` reads the home page on a
schedule; ``measure`` reads the store for the values; ``alerts`` tells the office when a veto
line is crossed.
"""
