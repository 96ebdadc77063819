"""Organisation pages: a filtered list, a detail with members, and the forms that manage them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengcai.accounts import permissions as perms
from zhengcai.accounts import selectors, services
from zhengcai.accounts.forms import MemberAddForm, OrganisationCreateForm, OrganisationFilterForm, add_domain_errors
from zhengcai.accounts.permissions import organisation_policy
from zhengcai.core.actor import Actor
from zhengcai.core.errors import ValidationFailed


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _list_page(
    request: HttpRequest, create_form: OrganisationCreateForm | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    filters = OrganisationFilterForm(request.GET or None)
    filters_valid = filters.is_valid() if filters.is_bound else True
    data = filters.cleaned_data if filters.is_bound and filters_valid else {}
    active = {"1": True, "0": False}.get(data.get("active") or "")
    organisations = selectors.organisations_visible(
        actor,
        q=data.get("q") or "",
        org_type=data.get("org_type") or "",
        region_code=data.get("region") or "",
        active=active,
    )
    if not filters_valid:
        # A filter we cannot apply must not quietly widen the list to everything.
        organisations = organisations.none()
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    can_create = organisation_policy.can(actor, perms.CREATE)
    if can_create and create_form is None:
        create_form = OrganisationCreateForm()
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "filters_valid": filters_valid,
        "create_form": create_form if can_create else None,
        "query": query.urlencode(),
    }
    return render(request, "accounts/organisations.html", context, status=status)


def organisations(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST)
    if form.is_valid():
        try:
            org = services.organisation_create(actor=_actor(request), **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Organisation “%(name)s” registered.") % {"name": org.name})
            return redirect("accounts:organisation_detail", pk=org.pk)
    return _list_page(request, create_form=form, status=400)


def _detail_page(
    request: HttpRequest, pk: int, member_form: MemberAddForm | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    org = selectors.organisation_get(actor, pk)
    can_manage = organisation_policy.can(actor, perms.MANAGE_MEMBERS, org)
    if can_manage and member_form is None:
        member_form = MemberAddForm(initial={"role": selectors.role_for_organisation(org)})
    context = {
        "organisation": org,
        "members": selectors.organisation_members(actor, pk),
        "member_form": member_form if can_manage else None,
        "can_deactivate": org.is_active and organisation_policy.can(actor, perms.DEACTIVATE, org),
    }
    return render(request, "accounts/organisation_detail.html", context, status=status)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_grant(
                actor=_actor(request),
                organisation_id=pk,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                is_admin=form.cleaned_data["is_admin"],
            )
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect("accounts:organisation_detail", pk=pk)
    return _detail_page(request, pk, member_form=form, status=400)


@require_POST
def member_revoke(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    services.membership_revoke(actor=_actor(request), membership_id=membership_id)
    messages.success(request, _("Membership revoked."))
    return redirect("accounts:organisation_detail", pk=pk)


@require_POST
def organisation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    org = services.organisation_deactivate(actor=_actor(request), organisation_id=pk)
    messages.success(request, _("Organisation “%(name)s” deactivated.") % {"name": org.name})
    return redirect("accounts:organisation_detail", pk=pk)
