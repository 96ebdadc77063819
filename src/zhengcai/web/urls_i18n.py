"""Language switching, mounted at /i18n/ without a namespace (the URL name is "set_language").

Django's own ``set_language`` is not marked public, so LoginRequiredMiddleware would send a
visitor who picks a language on the login page straight back to it, unchanged.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

urlpatterns = [
    path("setlang/", login_not_required(set_language), name="set_language"),
]
