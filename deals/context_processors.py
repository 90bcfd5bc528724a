from .access import offers_awaiting_approval_by


def approvals_waiting(request) -> dict:
    """For directors and admins, the number of offers waiting for them (shown in the menu).

    A callable, so the count query runs only on pages that render the menu.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_director or user.is_admin_role):
        return {}
    return {"approvals_waiting": lambda: offers_awaiting_approval_by(user).count()}
