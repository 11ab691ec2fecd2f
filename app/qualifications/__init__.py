"""Qualification records: an official's levels on the ladders of DOMAIN §3."""
