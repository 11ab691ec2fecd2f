"""The yearly report of the plan 327/KH-UBND (DOMAIN §11): reporting units draft, edit and
submit their report (frozen, versioned); province HR follows them up and reads the province's
sum; `flask plan remind` reminds the units that have not submitted."""

from flask import Blueprint

bp = Blueprint("yearly", __name__)

# Views, the kinds of jobs making the files, permission rules, the reminder's words, the
# `plan remind` command and its daily run on the job queue's scheduler register themselves.
from . import cli, files, notices, routes, rules, schedule  # noqa: E402,F401
