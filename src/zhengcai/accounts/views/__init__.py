"""Accounts pages. ``lockout_response`` is named in settings.AXES_LOCKOUT_CALLABLE."""

from zhengcai.accounts.views.auth import lockout_response

__all__ = ["lockout_response"]
