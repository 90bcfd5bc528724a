from . import credit
from .access import offers_awaiting_approval_by


def approvals_waiting(request) -> dict:
    """For directors and admins, the number of offers waiting for them (shown in the menu).

    A callable, so the count query runs only on pages that render the menu.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_director or user.is_admin_role):
        return {}

    def waiting() -> int:
        # One query: the offers' ids and those of whatever the credit hook adds, counted.
        offers = offers_awaiting_approval_by(user).order_by().values("pk")
        others = credit.approval_count_querysets(user=user)
        return offers.union(*others, all=True).count() if others else offers.count()

    return {"approvals_waiting": waiting}
