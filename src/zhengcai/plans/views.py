"""Plan pages: thin views over the plans selectors and services.

Purchasers draw up plans in a wizard whose method decision is recomputed live (htmx), file
them and ask for method changes; regulators see the filings and decide the change requests
of their region; anyone (not logged in) reads the published procurement intentions.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError, NotFound
from zhengcai.core.money import format_cny
from zhengcai.plans import execution, permissions, selectors, services
from zhengcai.plans.decision import reason_text
from zhengcai.plans.inputs import MAX_FUNDINGS, MAX_ITEMS, ItemInput
from zhengcai.plans.methods import Channel, MallMode, Method, OrganisationForm, SingleSourceGround
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import PLAN_MACHINE, ChangeStatus, PlanStatus
from zhengcai.plans.wizard_rows import (
    FUNDING_FIELDS,
    FUNDING_ROWS,
    ITEM_FIELDS,
    ITEM_ROWS,
    add_row,
    renumber,
    row_limits,
    wizard_inputs,
)

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _year(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.plans.can(actor, permissions.VIEW):
        raise NotFound()
    return actor


def _unit_actor(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.is_unit(actor):
        raise NotFound()
    return actor


def reasons_display(reasons: list[dict[str, Any]]) -> list[str]:
    return [reason_text(r) for r in reasons]


def _labels(values: Any, choices: Any) -> list[str]:
    return [str(choices(v).label) if v in choices.values else v for v in values]


# -- list and export ---------------------------------------------------------------------------


def _safe(value: Any) -> Any:
    # Text starting like a formula would be run by spreadsheet programs (Excel injection).
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _xlsx(plans: Any) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Procurement plans")[:31])
    sheet.append(
        [
            _("Number"),
            _("Budget unit"),
            _("Title"),
            _("Fiscal year"),
            _("Status"),
            _("Channel"),
            _("Method"),
            _("Total amount"),
            _("Required by"),
            _("Filed at"),
        ]
    )
    for p in plans:
        sheet.append(
            [
                _safe(v)
                for v in (
                    p.number,
                    p.organisation.name,
                    p.title,
                    p.fiscal_year,
                    str(p.get_status_display()),
                    str(p.get_channel_display()) if p.channel else "",
                    str(p.get_chosen_method_display()) if p.chosen_method else "",
                    p.total_amount,
                    p.required_by.isoformat(),
                    timezone.localtime(p.filed_at).strftime("%Y-%m-%d %H:%M") if p.filed_at else "",
                )
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """My plans by status (purchaser) or the filings of my region (regulator); Excel export."""
    actor = _actor(request)
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    q = request.GET.get("q", "")
    year = request.GET.get("year", "")
    method = request.GET.get("method", "")
    method = method if method in Method.values else ""
    plans = selectors.plans_visible(actor=actor, status=status, q=q, fiscal_year=_year(year), method=method)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(_xlsx(plans), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="plans.xlsx"'
        return response
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.plan_status_counts(actor=actor)
    return render(
        request,
        "plans/list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "year": year,
            "method": method,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in PlanStatus],
            "methods": Method.choices,
            "is_unit": permissions.is_unit(actor),
            "query": request.GET.urlencode(),
        },
    )


# -- the wizard --------------------------------------------------------------------------------


def _wizard_context(
    request: HttpRequest,
    *,
    actor: Actor,
    data: dict[str, Any],
    item_rows: list[dict[str, str]],
    funding_rows: list[dict[str, str]],
    errors: dict[str, list[Any]],
    plan: ProcurementPlan | None,
) -> dict[str, Any]:
    items = [ItemInput(**r) for r in item_rows if any(r.values())]
    decision, decision_errors = selectors.decision_preview(
        actor=actor, items=items, organisation_form=data.get("organisation_form", "")
    )
    year = data.get("fiscal_year") or str(clock.today().year)
    lines = selectors.lines_for_plans(actor=actor, fiscal_year=_year(year), keep=_chosen_lines(funding_rows, plan))
    for i, row in enumerate(item_rows):
        row["errors"] = {f: errors.get(f"items-{i}-{f}", []) for f in ITEM_FIELDS}  # type: ignore[assignment]
    for i, row in enumerate(funding_rows):
        row["errors"] = {f: errors.get(f"fundings-{i}-{f}", []) for f in FUNDING_FIELDS}  # type: ignore[assignment]
    return {
        "plan": plan,
        "data": data,
        "item_rows": item_rows,
        "funding_rows": funding_rows,
        "errors": errors,
        "general_errors": [e for k in ("items", "fundings", "__all__") for e in errors.get(k, [])],
        "lines": lines,
        **row_limits(len(item_rows), len(funding_rows)),
        **_decision_context(decision, decision_errors, data.get("chosen_method", "")),
        **_select_context(decision, data.get("organisation_form", ""), data.get("chosen_method", "")),
    }


def _select_context(decision: Any, form: str, chosen: str) -> dict[str, Any]:
    """The organisation-form and method selects as the decision shapes them.

    Forms: only those the decision allows (centralised-catalogue items: 集中采购 only), the
    current one kept when allowed, else the decision's default. Methods: the allowed ones
    first; the others in a group that says they need a method change (the e-mall only when
    the rules send the plan there).
    """
    if decision is None:
        return {
            "form_options": OrganisationForm.choices,
            "form_value": form or OrganisationForm.DECENTRALISED,
            "method_options": [(v, label) for v, label in Method.choices if v != Method.E_MALL or chosen == v],
            "method_change_options": [],
            "method_value": chosen,
            "default_label": "",
        }
    allowed_forms = [(v, label) for v, label in OrganisationForm.choices if v in decision.allowed_forms]
    others = [
        (v, label)
        for v, label in Method.choices
        if v not in decision.allowed_methods and (v != Method.E_MALL or chosen == v)
    ]
    return {
        "form_options": allowed_forms,
        "form_value": form if decision.form_allowed(form) else decision.default_form,
        "method_options": [(v, label) for v, label in Method.choices if v in decision.allowed_methods],
        "method_change_options": others,
        "method_value": chosen,
        "default_label": Method(decision.default_method).label,
    }


def _chosen_lines(funding_rows: list[dict[str, str]], plan: ProcurementPlan | None) -> set[int]:
    """Lines already chosen (in the rows, or on the draft): listed even with nothing available."""
    chosen = {int(r["line_id"]) for r in funding_rows if str(r.get("line_id", "")).isdigit()}
    if plan is not None:
        chosen |= set(plan.fundings.values_list("budget_line_id", flat=True))
    return chosen


def _decision_context(decision: Any, errors: dict[str, list[Any]], chosen: str) -> dict[str, Any]:
    if decision is None:
        return {"decision": None, "decision_errors": [str(m) for v in errors.values() for m in v]}
    return {
        "decision": decision,
        "decision_errors": [],
        "channel_label": Channel(decision.channel).label,
        "default_label": Method(decision.default_method).label,
        "allowed_labels": _labels(decision.allowed_methods, Method),
        "mall_labels": _labels(decision.mall_modes, MallMode),
        "form_labels": _labels(decision.allowed_forms, OrganisationForm),
        "reasons": reasons_display(list(decision.reasons)),
        "needs_change": bool(chosen) and decision.needs_change_request(chosen),
        "chosen_label": Method(chosen).label if chosen in Method.values else "",
    }


def _initial(plan: ProcurementPlan | None) -> tuple[dict[str, Any], list[dict[str, str]], list[dict[str, str]]]:
    if plan is None:
        data = {"fiscal_year": str(clock.today().year), "organisation_form": OrganisationForm.DECENTRALISED}
        return (
            data,
            [dict.fromkeys(ITEM_FIELDS, "") for _i in range(ITEM_ROWS)],
            [dict.fromkeys(FUNDING_FIELDS, "") for _i in range(FUNDING_ROWS)],
        )
    data = {
        "title": plan.title,
        "fiscal_year": str(plan.fiscal_year),
        "organisation_form": plan.organisation_form,
        "required_by": plan.required_by.isoformat(),
        "chosen_method": plan.chosen_method,
    }
    items = [
        {
            "catalogue_code": i.catalogue_item.code,
            "description": i.description,
            "quantity": f"{i.quantity.normalize():f}",
            "unit": i.unit,
            "unit_price": str(i.unit_price),
        }
        for i in plan.items.select_related("catalogue_item")
    ]
    fundings = [{"line_id": str(f.budget_line_id), "amount": str(f.amount)} for f in plan.fundings.all()]
    items += [dict.fromkeys(ITEM_FIELDS, "") for _i in range(max(ITEM_ROWS - len(items), 1))]
    fundings += [dict.fromkeys(FUNDING_FIELDS, "") for _i in range(max(FUNDING_ROWS - len(fundings), 1))]
    return data, items, fundings


HEADER_FIELDS = ("title", "fiscal_year", "organisation_form", "required_by", "chosen_method")


@require_http_methods(["GET", "POST"])
def plan_wizard(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no ``pk``) or edit a draft plan; the decision panel updates live."""
    actor = _unit_actor(request)
    plan = selectors.plan_get(actor=actor, pk=pk) if pk else None
    if plan is not None and plan.status != PlanStatus.DRAFT:
        return redirect("plans:detail", pk=plan.pk)
    if request.method == "GET":
        data, item_rows, funding_rows = _initial(plan)
        return render(
            request,
            "plans/wizard.html",
            _wizard_context(
                request, actor=actor, data=data, item_rows=item_rows, funding_rows=funding_rows, errors={}, plan=plan
            ),
        )
    data = {f: request.POST.get(f, "").strip() for f in HEADER_FIELDS}
    items, fundings, item_rows, funding_rows, row_errors = wizard_inputs(request.POST)
    adding = add_row(request.POST, item_rows, funding_rows, row_errors)
    if adding or row_errors:
        # Without JavaScript the "add a row" buttons submit the whole form: show it again
        # with one more empty row (or the cap's message) and save nothing.
        return render(
            request,
            "plans/wizard.html",
            _wizard_context(
                request,
                actor=actor,
                data=data,
                item_rows=item_rows,
                funding_rows=funding_rows,
                errors=row_errors,
                plan=plan,
            ),
            status=400 if row_errors else 200,
        )
    header = {**data, "items": items, "fundings": fundings}
    try:
        if plan is None:
            plan = services.plan_create(actor=actor, **header)
        else:
            plan = services.plan_update(actor=actor, plan_id=plan.pk, **header)
    except DomainError as exc:
        errors = renumber(renumber(exc.fields, item_rows, "items"), funding_rows, "fundings")
        if not exc.fields:
            errors["__all__"] = [str(exc.message)]
        return render(
            request,
            "plans/wizard.html",
            _wizard_context(
                request,
                actor=actor,
                data=data,
                item_rows=item_rows,
                funding_rows=funding_rows,
                errors=errors,
                plan=plan,
            ),
            status=400,
        )
    messages.success(request, _("The plan was saved as a draft. Check it and file it."))
    return redirect("plans:detail", pk=plan.pk)


@require_POST
def item_row(request: HttpRequest) -> HttpResponse:
    """One more empty item row for the wizard (htmx appends it); the cap's message at the cap."""
    _unit_actor(request)
    _i, _f, item_rows, funding_rows, _e = wizard_inputs(request.POST)
    index = len(item_rows)
    limits = row_limits(index + 1, len(funding_rows))
    return render(
        request,
        "plans/_row_added.html",
        {"kind": "item", "row": dict.fromkeys(ITEM_FIELDS, ""), "i": index, "add": index < MAX_ITEMS, **limits},
    )


@require_POST
def funding_row(request: HttpRequest) -> HttpResponse:
    """One more empty funding row for the wizard (htmx appends it); the cap's message at the cap."""
    actor = _unit_actor(request)
    _i, _f, item_rows, funding_rows, _e = wizard_inputs(request.POST)
    index = len(funding_rows)
    year = request.POST.get("fiscal_year") or clock.today().year
    lines = selectors.lines_for_plans(actor=actor, fiscal_year=_year(year), keep=_chosen_lines(funding_rows, None))
    limits = row_limits(len(item_rows), index + 1)
    return render(
        request,
        "plans/_row_added.html",
        {
            "kind": "funding",
            "row": dict.fromkeys(FUNDING_FIELDS, ""),
            "i": index,
            "add": index < MAX_FUNDINGS,
            "lines": lines,
            **limits,
        },
    )


@require_POST
def decision_preview(request: HttpRequest) -> HttpResponse:
    """The live decision panel (htmx): channel, default and allowed methods, and why."""
    actor = _unit_actor(request)
    items, _f, _ir, _fr, _e = wizard_inputs(request.POST)
    decision, errors = selectors.decision_preview(
        actor=actor, items=items, organisation_form=request.POST.get("organisation_form", "")
    )
    chosen = request.POST.get("chosen_method", "")
    return render(
        request,
        "plans/_decision.html",
        {
            **_decision_context(decision, errors, chosen),
            # The selects follow the decision: swapped in beside the panel (htmx out of band).
            **_select_context(decision, request.POST.get("organisation_form", ""), chosen),
            "oob": True,
        },
    )


# -- one plan ------------------------------------------------------------------------------------


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.plan_get(actor=actor, pk=pk)
    is_unit = permissions.is_unit(actor)
    allowed = set(PLAN_MACHINE.allowed_actions(plan.status)) if is_unit else set()
    needs_change = bool(plan.chosen_method) and plan.chosen_method not in plan.allowed_methods
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "items": plan.items.select_related("catalogue_item"),
            "fundings": selectors.plan_fundings(actor=actor, plan=plan),
            "execution": selectors.plan_execution(actor=actor, plan=plan),
            "reasons": reasons_display(plan.decision_reasons),
            "allowed_labels": _labels(plan.allowed_methods, Method),
            "mall_labels": _labels(plan.mall_modes, MallMode),
            "changes": selectors.with_sla(plan.change_requests.all()),
            "is_unit": is_unit,
            "can_edit": is_unit and plan.status == PlanStatus.DRAFT,
            "can_file": "file" in allowed,
            "needs_change": needs_change,
            "is_single_source": plan.chosen_method == Method.SINGLE_SOURCE,
            "grounds": SingleSourceGround.choices,
            "can_cancel": "cancel" in allowed,
            "can_revise": "revise" in allowed,
            "can_start": "start" in allowed,
            "can_complete": "complete" in allowed,
            "complete_blocked": execution.open_events_message(plan) if "complete" in allowed else "",
            "can_publish": is_unit
            and plan.intention_published_on is None
            and plan.status in (PlanStatus.DRAFT, PlanStatus.FILED, PlanStatus.CHANGE_REQUESTED, PlanStatus.APPROVED),
            "intention_required": execution.intention_required(plan) if plan.channel else False,
            "errors": {},
        },
    )


def _act(request: HttpRequest, pk: int, call: Any, done: Any) -> HttpResponse:
    """Run ``call``; on success show ``done`` (a text, or a function of the call's result)."""
    try:
        result = call()
    except NotFound:
        raise
    except DomainError as exc:
        for message in [str(exc.message)] if not exc.fields else [str(m) for v in exc.fields.values() for m in v]:
            messages.error(request, message)
        return redirect("plans:detail", pk=pk)
    messages.success(request, done(result) if callable(done) else done)
    return redirect("plans:detail", pk=pk)


def filed_message(plan: ProcurementPlan) -> str:
    """What filing did: in force at once, or sent to the regulator for a method change."""
    values = {"number": plan.number, "total": format_cny(plan.total_amount)}
    if plan.status == PlanStatus.CHANGE_REQUESTED:
        return (
            _(
                "Plan %(number)s (%(total)s) was submitted for the regulator's decision on the method change; "
                "its budget is reserved meanwhile. It takes effect when the regulator approves."
            )
            % values
        )
    return _("Plan %(number)s (%(total)s) was filed and is in force; its budget is reserved.") % values


@require_POST
def plan_file(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    change = services.ChangeInput(
        reasons=request.POST.get("reasons", ""),
        statutory_ground=request.POST.get("statutory_ground", ""),
        supplier_name=request.POST.get("supplier_name", ""),
        attachments=request.FILES.getlist("attachments"),
    )
    return _act(
        request,
        pk,
        lambda: services.plan_file(actor=actor, plan_id=pk, change=change),
        filed_message,
    )


@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _act(
        request,
        pk,
        lambda: services.plan_cancel(actor=actor, plan_id=pk, reason=request.POST.get("reason", "")),
        _("The plan was cancelled and its reservations released."),
    )


@require_POST
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _act(request, pk, lambda: services.plan_revise(actor=actor, plan_id=pk), _("The plan is a draft again."))


@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _act(request, pk, lambda: execution.plan_start_execution(actor=actor, plan_id=pk), _("Execution started."))


@require_POST
def plan_complete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _act(
        request,
        pk,
        lambda: execution.plan_complete(actor=actor, plan_id=pk),
        _("The plan was completed; what was left is released."),
    )


@require_POST
def plan_intention(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _act(
        request,
        pk,
        lambda: execution.plan_intention_publish(actor=actor, plan_id=pk, summary=request.POST.get("summary", "")),
        _("The procurement intention is published on the public portal."),
    )


# -- regulator: change requests ----------------------------------------------------------------


@require_GET
def change_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", ChangeStatus.PENDING)
    status = status if status in ChangeStatus.values else ""
    q = request.GET.get("q", "")
    method = request.GET.get("method", "")
    method = method if method in Method.values else ""
    changes = selectors.changes_visible(actor=actor, status=status, q=q, method=method)
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/changes.html",
        {
            "page": page,
            "rows": selectors.with_sla(page.object_list),
            "status": status,
            "q": q,
            "method": method,
            "statuses": ChangeStatus.choices,
            "methods": Method.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    change = selectors.change_get(actor=actor, pk=pk)
    errors: dict[str, list[Any]] = {}
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            services.plan_change_decide(
                actor=actor, request_id=pk, approve=decision == "approve", comments=request.POST.get("comments", "")
            )
        except DomainError as exc:
            errors = exc.fields or {"__all__": [exc.message]}
        else:
            messages.success(request, _("The decision is recorded and the budget unit notified."))
            return redirect("plans:changes")
    plan = change.plan
    return render(
        request,
        "plans/change_detail.html",
        {
            "change": change,
            "plan": plan,
            "items": plan.items.select_related("catalogue_item"),
            "reasons": reasons_display(plan.decision_reasons),
            "waited": selectors.with_sla([change])[0][1],
            "can_decide": change.status == ChangeStatus.PENDING
            and permissions.changes.can(actor, permissions.DECIDE, change),
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "comments": request.POST.get("comments", ""),
        },
        status=400 if errors else 200,
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    actor = _actor(request)
    change = selectors.change_get(actor=actor, pk=pk)
    attachment = change.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# -- public: intentions --------------------------------------------------------------------------


@login_not_required
@require_GET
def intention_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(selectors.intentions_public(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/intentions.html", {"page": page, "q": q})


@login_not_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Single-source notices in their public period (public)."""
    q = request.GET.get("q", "")
    page = Paginator(selectors.notices_public(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/notices.html", {"page": page, "q": q})


@login_not_required
@require_GET
def intention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.intention_get(pk)
    return render(
        request, "plans/intention_detail.html", {"plan": plan, "items": plan.items.select_related("catalogue_item")}
    )
