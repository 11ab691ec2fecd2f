"""Mục tiêu 1 and 2 and the yearly report of the plan (DOMAIN §9–11).

So far: the entered seats of elected bodies (`plan seats-import`) and the snapshot the
computation of app.domain.plan reads.
"""
