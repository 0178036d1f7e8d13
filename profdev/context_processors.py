from profdev.scoping import scope_for


def navigation(request) -> dict:
    """The user's scope for the navigation bar (which sections to show)."""
    return {"scope": scope_for(request.user)} if hasattr(request, "user") else {}
