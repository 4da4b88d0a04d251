"""Every kind of notification reviewtool sends, in one registry: its label on the preferences
page, who gets it, and whether it is security mail (always sent at once, never turned off).

Other features add their kinds here (pilot-forecast and consultation invitations, ...): a
kind not registered cannot be sent (services/notifications.py refuses it), so a mail nobody
can switch off or find on the preferences page cannot creep in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of notification."""

    name: str
    label: str  # the preferences page's words for it
    recipients: str  # who gets it, said on the preferences page
    security: bool = False  # sent at once whatever the preference (account safety)
    reminder: bool = False  # scheduled by the worker (services/reminders.py), once per key


KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    """Add kinds to the registry (a name registered twice is a programming error)."""
    for kind in kinds:
        if kind.name in KINDS:
            raise ValueError(f"notification kind {kind.name!r} is registered twice")
        KINDS[kind.name] = kind


register(
    Kind("review_assigned", "You are asked to review a project (or to review it again "
         "after it was resubmitted)", "reviewers"),
    Kind("review_due_soon", "A review of yours is due in 3 days", "reviewers", reminder=True),
    Kind("review_overdue", "A review of yours is overdue", "reviewers", reminder=True),
    Kind("safeguards_requested", "Safeguards are requested on your project", "proposers"),
    Kind("round_closed", "A review round of your project closed, with its figures "
         "(anonymised)", "proposers"),
    Kind("pilot_started", "A pilot started", "proposers and the pilot's builders"),
    Kind("observation_due", "A pilot criterion still needs an observation, 3 days before the "
         "pilot ends", "the pilot's builders", reminder=True),
    Kind("pilot_alert", "A pilot's kill criterion was breached or a severe incident was "
         "recorded", "grantmakers"),
    Kind("decision_made", "A decision was made on your project", "proposers"),
    Kind("forecast_invitation", "A pilot started: forecast whether its criteria will be met",
         "the last round's reviewers and the grantmakers"),
    Kind("condition_due", "A condition of a go decision is due in 14 days",
         "proposers and grantmakers", reminder=True),
    Kind("condition_overdue", "A condition of a go decision is overdue",
         "proposers and grantmakers", reminder=True),
    Kind("renewal_due", "A project's re-review date is in 14 days", "proposers and grantmakers",
         reminder=True),
    Kind("consultation_invitation", "You are invited to answer a community consultation",
         "panellists"),
    Kind("consultation_reminder", "A consultation you were invited to closes soon and has "
         "no answer from you yet", "panellists"),
    Kind("digest", "Your daily digest", "everyone who chose the digest for a kind",
         security=True),
    Kind("invitation", "An invitation to reviewtool with a link to set your password",
         "invited people", security=True),
    Kind("password_reset", "A password reset link", "whoever asks for one", security=True),
)


def choosable() -> list[Kind]:
    """The kinds a person may set to immediately, daily digest or off, in registry order."""
    return [k for k in KINDS.values() if not k.security]
