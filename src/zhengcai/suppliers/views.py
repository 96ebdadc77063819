"""Supplier pages: thin views over the suppliers selectors and services.

Anyone may register a supplier (public page); the supplier completes its profile, uploads
its documents and submits; the operator reviews in a queue and approves, returns,
suspends, records credit penalties and reinstates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError, NotFound
from zhengcai.core.roles import Role
from zhengcai.rules.selectors import regions_all
from zhengcai.suppliers import selectors, services
from zhengcai.suppliers.inputs import PROFILE_FIELDS, DocumentInput, RegistrationInput
from zhengcai.suppliers.states import (
    ADMITTED,
    BANK_FIELDS,
    CONTACT_FIELDS,
    DOCUMENTS_OPEN,
    EDITABLE,
    SUPPLIER_MACHINE,
    EnterpriseSize,
    QualificationKind,
    SupplierStatus,
)

PAGE_SIZE = 25
REVIEW_ACTIONS = ("approve", "return", "suspend", "reinstate", "credit_penalty")


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _supplier(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not actor.has_role(Role.SUPPLIER):
        raise NotFound()
    return actor


def _operator(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not actor.has_role(Role.OPERATOR):
        raise NotFound()
    return actor


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _errors(exc: DomainError) -> dict[str, list[Any]]:
    return exc.fields or {"__all__": [exc.message]}


def _fields(
    specs: list[tuple[str, Any, str, bool]], values: dict[str, Any], errors: dict[str, list[Any]]
) -> list[dict]:
    """Form rows for ``suppliers/_field.html``: (name, label, input type, required)."""
    return [
        {"name": n, "label": label, "type": t, "required": r, "value": values.get(n, ""), "errors": errors.get(n, [])}
        for n, label, t, r in specs
    ]


def _company_specs() -> list[tuple[str, Any, str, bool]]:
    return [
        ("legal_representative", _("Legal representative"), "text", True),
        ("contact_name", _("Contact person"), "text", True),
        ("contact_phone", _("Contact phone"), "tel", True),
        ("contact_email", _("Contact e-mail"), "email", False),
        ("address", _("Address"), "text", False),
        ("bank_name", _("Bank"), "text", True),
        ("bank_account", _("Bank account"), "text", True),
        ("business_scope", _("Business scope"), "textarea", True),
    ]


def _flash(request: HttpRequest, exc: DomainError) -> None:
    for message in [str(exc.message)] if not exc.fields else [str(m) for v in exc.fields.values() for m in v]:
        messages.error(request, message)


# -- public: registration -----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Self-registration (供应商注册): free, once for the whole platform."""
    errors: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in RegistrationInput.__dataclass_fields__}
        values["sme_declared"] = request.POST.get("sme_declared") == "on"
        try:
            services.supplier_register(data=RegistrationInput(**values))
        except DomainError as exc:
            errors = _errors(exc)
            values.pop("password", None)
        else:
            messages.success(
                request,
                _("Your company is registered. Sign in to upload your documents and submit them for review."),
            )
            return redirect("accounts:login")
    return render(
        request,
        "suppliers/register.html",
        {
            "values": values,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "regions": regions_all(),
            "sizes": EnterpriseSize.choices,
            "company_fields": _fields(
                [
                    ("name", _("Company name"), "text", True),
                    ("credit_code", _("Unified social credit code"), "text", True),
                ],
                values,
                errors,
            ),
            "profile_fields": _fields(_company_specs(), values, errors),
            "user_fields": _fields(
                [
                    ("username", _("Username"), "text", True),
                    ("display_name", _("Your name"), "text", True),
                    ("phone", _("Mobile phone"), "tel", False),
                    ("email", _("E-mail"), "email", False),
                    ("password", _("Password"), "password", True),
                ],
                values,
                errors,
            ),
        },
        status=400 if errors else 200,
    )


# -- the supplier's own profile -------------------------------------------------------------------


def _profile_context(actor: Actor, profile: Any) -> dict[str, Any]:
    # The documents, the expiring and the lapsed ones (and the reinstatement check) all read
    # ``profile.qualifications.all()``: one query, not one each.
    prefetch_related_objects([profile], "qualifications")
    suspended = profile.status == SupplierStatus.SUSPENDED
    return {
        "profile": profile,
        "documents": list(profile.qualifications.all()),
        "expiring": selectors.expiring_documents(profile),
        "lapsed": selectors.lapsed_documents(profile),
        "may_sell": selectors.supplier_may_sell(profile.organisation_id),
        "rating": selectors.profile_rating(profile),
        "new_documents": selectors.documents_since_suspension(profile),
        "reinstatement_obstacles": services.reinstatement_obstacles(profile) if suspended else "",
        "deletable": set(),
    }


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """The supplier's status, data, documents and warnings."""
    actor = _supplier(request)
    own = selectors.own_profile(actor=actor)
    if own is None:
        # An organisation the operator registered directly: start the profile first.
        return redirect("suppliers:profile_edit")
    context = _profile_context(actor, own)
    context.update(
        {
            "editable": own.status in EDITABLE,
            "admitted": own.status in ADMITTED,
            "deletable": {d.pk for d in context["documents"] if services.qualification_deletable(own, d)},
            "can_request_reinstatement": own.status == SupplierStatus.SUSPENDED
            and not context["reinstatement_obstacles"]
            and own.reinstatement_requested_at is None,
            "can_add_documents": own.status in DOCUMENTS_OPEN,
            "can_submit": SUPPLIER_MACHINE.can(own.status, "submit"),
            "kinds": QualificationKind.choices,
            "doc_errors": {},
            "doc_values": {},
        }
    )
    return render(request, "suppliers/profile.html", context)


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Change the own profile data; start it if the organisation has none yet. Once admitted
    (approved or suspended) only the contacts and the bank account."""
    actor = _supplier(request)
    own = selectors.own_profile(actor=actor)
    admitted = own is not None and own.status in ADMITTED
    errors: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    if own is not None:
        values = {f: getattr(own, f) for f in PROFILE_FIELDS if f != "sme_declared"}
        values["sme_declared"] = own.sme_declared_at is not None
    if request.method == "POST":
        changes: dict[str, Any]
        if admitted:
            changes = {f: request.POST.get(f, "") for f in CONTACT_FIELDS + BANK_FIELDS}
        else:
            changes = {f: request.POST.get(f, "") for f in PROFILE_FIELDS if f != "sme_declared"}
            changes["sme_declared"] = request.POST.get("sme_declared") == "on"
        values.update(changes)
        try:
            if own is None:
                services.supplier_profile_create(actor=actor, values=changes)
            else:
                services.supplier_profile_update(actor=actor, changes=changes)
        except NotFound:
            raise
        except DomainError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("suppliers:profile")
    return render(
        request,
        "suppliers/profile_edit.html",
        {
            "profile": own,
            "admitted": admitted,
            "organisation_name": actor.organisation_name,
            "values": values,
            "profile_fields": _fields(
                [s for s in _company_specs() if not admitted or s[0] in CONTACT_FIELDS + BANK_FIELDS], values, errors
            ),
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "sizes": EnterpriseSize.choices,
        },
        status=400 if errors else 200,
    )


@require_POST
def document_add(request: HttpRequest) -> HttpResponse:
    actor = _supplier(request)
    data = DocumentInput(
        kind=request.POST.get("kind", ""),
        title=request.POST.get("title", ""),
        number=request.POST.get("number", ""),
        issued_on=_date(request.POST.get("issued_on")),
        expires_on=_date(request.POST.get("expires_on")),
        document=request.FILES.get("document"),
    )
    try:
        services.qualification_add(actor=actor, data=data)
    except NotFound:
        raise
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The document was uploaded."))
    return redirect("suppliers:profile")


@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    try:
        services.qualification_delete(actor=actor, qualification_id=pk)
    except NotFound:
        raise
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The document was removed."))
    return redirect("suppliers:profile")


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    actor = _supplier(request)
    try:
        services.supplier_submit(actor=actor)
    except NotFound:
        raise
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Your profile was submitted for review. The platform operator will reply."))
    return redirect("suppliers:profile")


@require_POST
def reinstatement_request(request: HttpRequest) -> HttpResponse:
    """A suspended supplier asks the operator to reinstate it (after a renewal, say)."""
    actor = _supplier(request)
    try:
        services.supplier_reinstatement_request(actor=actor)
    except NotFound:
        raise
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The platform operator was asked to reinstate your company."))
    return redirect("suppliers:profile")


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = selectors.qualification_get(actor=_actor(request), pk=pk)
    name = f"{doc.title}{Path(doc.document.name).suffix}"
    return FileResponse(doc.document.open("rb"), as_attachment=True, filename=name)


# -- operator: review ---------------------------------------------------------------------------


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Supplier registrations for the operator, awaiting review by default, longest waiting first."""
    actor = _operator(request)
    status = request.GET.get("status", SupplierStatus.SUBMITTED)
    status = status if status in SupplierStatus.values else ""
    size = request.GET.get("size", "")
    size = size if size in EnterpriseSize.values else ""
    region = request.GET.get("region", "")
    q = request.GET.get("q", "")
    profiles = selectors.review_queue(actor=actor, status=status, region_code=region, size=size, q=q)
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.status_counts(actor=actor)
    return render(
        request,
        "suppliers/review_queue.html",
        {
            "page": page,
            "rows": [(p, selectors.waiting_days(p)) for p in page.object_list],
            "status": status,
            "size": size,
            "region": region,
            "q": q,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in SupplierStatus],
            "sizes": EnterpriseSize.choices,
            "regions": regions_all(),
            "query": request.GET.urlencode(),
        },
    )


def _review_call(actor: Actor, pk: int, action: str, post: Any) -> str:
    comment = post.get("comment", "")
    if action == "approve":
        services.supplier_approve(actor=actor, profile_id=pk, comment=comment)
        return _("The supplier was approved and notified.")
    if action == "return":
        services.supplier_return(actor=actor, profile_id=pk, comment=comment)
        return _("The registration was returned to the supplier with your reasons.")
    if action == "suspend":
        services.supplier_suspend(actor=actor, profile_id=pk, reason=comment)
        return _("The supplier was suspended.")
    if action == "reinstate":
        services.supplier_reinstate(actor=actor, profile_id=pk, comment=comment)
        return _("The supplier was reinstated.")
    services.supplier_credit_penalty(actor=actor, profile_id=pk, until=_date(post.get("until")), reason=comment)
    return _("The credit penalty was recorded.")


@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _operator(request)
    target = selectors.profile_get_by_pk(actor=actor, pk=pk)
    errors: dict[str, list[Any]] = {}
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action not in REVIEW_ACTIONS:
            errors = {"__all__": [_("Choose an action.")]}
        else:
            try:
                done = _review_call(actor, pk, action, request.POST)
            except NotFound:
                raise
            except DomainError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, done)
                return redirect("suppliers:review_detail", pk=pk)
    context = _profile_context(actor, target)
    actions = SUPPLIER_MACHINE.allowed_actions(target.status)
    if context["reinstatement_obstacles"]:
        # No button for what would only be refused; the reason is shown instead.
        actions = [a for a in actions if a != "reinstate"]
    context.update(
        {
            "actions": actions,
            "can_penalise": target.status in (SupplierStatus.APPROVED, SupplierStatus.SUSPENDED),
            "waited": selectors.waiting_days(target),
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "comment": request.POST.get("comment", ""),
            "until": request.POST.get("until", ""),
            "action": action,
        }
    )
    return render(request, "suppliers/review_detail.html", context, status=400 if errors else 200)
