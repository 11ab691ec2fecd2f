"""What happens to qualification records, for the features above this one to react to
(DESIGN §2: a lower feature never imports a higher one; it sends a signal they subscribe to).

Sent by the services after the change is flushed, inside the request's transaction: a
receiver's writes commit (or roll back) with it. Receivers take `sender` (the record) and the
keyword arguments named here, and must not commit.
"""

from flask.signals import Namespace

_signals = Namespace()

# A pending proposal was verified or rejected: sender=record, decision ("verified" |
# "rejected"), actor (the deciding user, None from the CLI). A notification of the official
# (issue: "a decision notifies") subscribes here.
record_decided = _signals.signal("qualification-record-decided")
