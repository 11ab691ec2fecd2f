"""Mục tiêu 1 and 2 and the yearly report of the plan (DOMAIN §9–11).

The entered seats of elected bodies (`plan seats-import`), the collaborators' counts and the
snapshot the computation of app.domain.plan reads; the yearly report lives in app.plan.yearly
(a higher layer: it reads progress), whose blueprint is registered from here.
"""


def __getattr__(name):
    # `from app.plan import bp` (the factory): the yearly report's pages. Imported on demand so
    # that the lower modules of app.plan (read by progress) never pull in the higher package.
    if name == "bp":
        from .yearly import bp

        return bp
    raise AttributeError(name)
