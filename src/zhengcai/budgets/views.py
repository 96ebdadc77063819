"""Budget pages: thin views over the budgets selectors and services.

Purchasers see their unit's lines, ledger, commitments and payments and act on them
(acceptance, payment requests); regulators read their region's lines and overdue payments,
and the unit's own finance bureau loads and adjusts its lines; anyone else gets "not found".
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengcai.budgets import exports, importers, permissions, selectors, services
from zhengcai.budgets import payments as payment_services
from zhengcai.budgets.forms import AcceptForm, AdjustForm, ImportForm, PaidForm, PaymentForm, RejectForm
from zhengcai.budgets.models import BudgetLine, Commitment
from zhengcai.budgets.refs import ref_is_managed, ref_labels
from zhengcai.budgets.states import COMMITMENT_MACHINE, PAYMENT_MACHINE, PaymentStatus
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError, NotFound, NotPermitted
from zhengcai.core.money import format_cny

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.lines.can(actor, permissions.VIEW):
        raise NotFound()
    return actor


def _form_error(form: Any, exc: DomainError) -> None:
    for name, errors in exc.fields.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, str(exc.message))


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year


@require_GET
def lines(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    year, q = _year(request), request.GET.get("q", "")
    qs = selectors.budget_lines_visible(actor=actor, fiscal_year=year, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    context = {
        "page": page,
        "rows": [{"line": line, "bar": selectors.usage_bar(line)} for line in page.object_list],
        "year": year,
        "years": [today.year - 1, today.year, today.year + 1],
        "q": q,
        "can_load": permissions.lines.can(actor, permissions.LOAD),
        "is_regulator": actor.has_role("regulator"),
        "overdue": selectors.payments_overdue(actor=actor),
    }
    return render(request, "budgets/lines.html", context)


@require_GET
def lines_export(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = selectors.budget_lines_visible(actor=actor, fiscal_year=_year(request), q=request.GET.get("q", ""))
    response = HttpResponse(exports.lines_xlsx(qs.iterator()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="budget-lines.xlsx"'
    return response


def _with_ref_labels(rows: list[Any]) -> list[Any]:
    """Each row gets ``ref_display``: "plan:11" as the plan's number, CG2026-000011; a
    commitment (or an entry's commitment) also ``commitment_ref_display``: "order:DD…" as
    the order it pays for."""
    commitments: list[Any] = [row if isinstance(row, Commitment) else getattr(row, "commitment", None) for row in rows]
    labels = ref_labels([row.ref for row in rows] + [c.commitment_ref for c in commitments if c is not None])
    for row, commitment in zip(rows, commitments, strict=True):
        row.ref_display = labels[row.ref]
        if commitment is not None:
            commitment.commitment_ref_display = labels[commitment.commitment_ref]
    return rows


def _line_context(actor: Actor, line: BudgetLine, form: AdjustForm | None = None) -> dict[str, Any]:
    return {
        "line": line,
        "bar": selectors.usage_bar(line),
        "entries": _with_ref_labels(list(selectors.line_entries(actor=actor, line=line)[:200])),
        "commitments": _with_ref_labels(list(selectors.commitments_visible(actor=actor, line_id=line.pk))),
        "can_adjust": permissions.lines.can(actor, permissions.LOAD, line),
        "form": form or AdjustForm(),
        "verify": selectors.ledger_verify(line),
    }


@require_GET
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    line = selectors.budget_line_get(actor=actor, pk=pk)
    return render(request, "budgets/line_detail.html", _line_context(actor, line))


@require_POST
def line_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    line = selectors.budget_line_get(actor=actor, pk=pk)
    if not permissions.lines.can(actor, permissions.LOAD, line):
        raise NotFound()  # the finance bureau's page: to anyone else it does not exist
    form = AdjustForm(request.POST)
    if form.is_valid():
        try:
            entry = services.budget_line_adjust(
                actor=actor,
                line_id=line.pk,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            _form_error(form, exc)
        else:
            done = (
                _("The line's allocation was increased by %(amount)s.")
                if form.cleaned_data["kind"] == "up"
                else _("The line's allocation was reduced by %(amount)s.")
            )
            messages.success(request, done % {"amount": format_cny(entry.amount)})
            return redirect("budgets:line_detail", pk=line.pk)
    line = selectors.budget_line_get(actor=actor, pk=pk)
    return render(request, "budgets/line_detail.html", _line_context(actor, line, form), status=400)


@require_http_methods(["GET", "POST"])
def lines_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not permissions.lines.can(actor, permissions.LOAD):
        raise NotFound()  # the finance bureau's page: to anyone else it does not exist
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importers.budget_lines_import(actor=actor, file=upload, name=upload.name)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(created)s lines imported, %(unchanged)s already loaded and unchanged.")
                    % {"created": result.created, "unchanged": result.unchanged},
                )
                return redirect("budgets:lines")
    status = 400 if request.method == "POST" and (result is None or not result.ok) else 200
    return render(request, "budgets/import.html", {"form": form, "result": result}, status=status)


@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = _actor(request)
    code = ""
    first = selectors.budget_lines_visible(actor=actor).first()
    if first is not None:
        code = first.budget_unit.credit_code or ""
    rows = importers.template_rows(credit_code=code or "统一社会信用代码", fiscal_year=clock.today().year)
    if fmt == "xlsx":
        response = HttpResponse(exports.template_xlsx(rows), content_type=XLSX)
    elif fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        raise NotFound()
    response["Content-Disposition"] = f'attachment; filename="budget-lines-template.{fmt}"'
    return response


@require_GET
def payments(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    qs = selectors.payments_visible(actor=actor, status=status, q=request.GET.get("q", ""))
    context = {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status,
        "statuses": PaymentStatus.choices,
        "q": request.GET.get("q", ""),
        "overdue": selectors.payments_overdue(actor=actor),
        "due_soon": selectors.payments_due_soon(actor=actor),
    }
    return render(request, "budgets/payments.html", context)


@require_GET
def payments_export(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = selectors.payments_visible(actor=actor, status=request.GET.get("status", ""), q=request.GET.get("q", ""))
    response = HttpResponse(exports.payments_xlsx(qs.iterator()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="payments.xlsx"'
    return response


def _commitment_context(actor: Actor, pk: int, form: AcceptForm | None = None) -> dict[str, Any]:
    commitment = selectors.commitment_get(actor=actor, pk=pk)
    can_manage = permissions.commitments.can(actor, permissions.MANAGE, commitment)
    return {
        "commitment": _with_ref_labels([commitment])[0],
        "payments": commitment.payments.order_by("-pk"),
        "can_request": can_manage and commitment.status == "accepted",
        "can_accept": can_manage
        and "accept" in COMMITMENT_MACHINE.allowed_actions(commitment.status)
        and not ref_is_managed(commitment.commitment_ref),
        "accepted_by_owner": ref_is_managed(commitment.commitment_ref),
        "accept_form": form or AcceptForm(initial={"accepted_amount": commitment.amount, "accepted_on": clock.today()}),
    }


@require_GET
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    return render(request, "budgets/commitment_detail.html", _commitment_context(actor, pk))


@require_POST
def commitment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    commitment = selectors.commitment_get(actor=actor, pk=pk)
    if not permissions.commitments.can(actor, permissions.MANAGE, commitment):
        raise NotPermitted()
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_accept(
                actor=actor,
                commitment_id=commitment.pk,
                accepted_amount=form.cleaned_data["accepted_amount"],
                accepted_on=form.cleaned_data["accepted_on"],
            )
        except DomainError as exc:
            if exc.status in (403, 404, 409):
                raise
            _form_error(form, exc)
        else:
            messages.success(request, _("The acceptance has been recorded; the payment deadline runs from it."))
            return redirect("budgets:commitment_detail", pk=commitment.pk)
    return render(request, "budgets/commitment_detail.html", _commitment_context(actor, pk, form), status=400)


@require_http_methods(["GET", "POST"])
def payment_create(request: HttpRequest, commitment_id: int) -> HttpResponse:
    actor = _actor(request)
    commitment = selectors.commitment_get(actor=actor, pk=commitment_id)
    form = PaymentForm(request.POST or None, initial={"amount": commitment.outstanding})
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_services.payment_request_create(
                actor=actor, commitment_id=commitment.pk, amount=form.cleaned_data["amount"]
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("A payment request of %(amount)s was drawn up; submit it for approval.")
                % {"amount": format_cny(payment.amount)},
            )
            return redirect("budgets:payment_detail", pk=payment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "budgets/payment_form.html", {"form": form, "commitment": commitment}, status=status)


def _payment_context(actor: Actor, pk: int, **extra: Any) -> dict[str, Any]:
    payment = selectors.payment_get(actor=actor, pk=pk)
    actions = PAYMENT_MACHINE.allowed_actions(payment.status)
    can_manage = permissions.payments.can(actor, permissions.MANAGE, payment)
    can_approve = permissions.payments.can(actor, permissions.APPROVE, payment)
    return {
        "payment": payment,
        "can_submit": can_manage and "submit" in actions,
        "can_approve": can_approve and "approve" in actions and payment.requested_by_id != actor.user_id,
        "can_reject": can_approve and "reject" in actions,
        "can_pay": can_approve and "pay" in actions,
        "reject_form": extra.get("reject_form") or RejectForm(),
        "paid_form": extra.get("paid_form") or PaidForm(),
    }


@require_GET
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    return render(request, "budgets/payment_detail.html", _payment_context(actor, pk))


@require_POST
def payment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    payment = selectors.payment_get(actor=actor, pk=pk)
    if action == "submit":
        payment = payment_services.payment_request_submit(actor=actor, payment_id=pk)
    elif action == "approve":
        payment = payment_services.payment_request_approve(actor=actor, payment_id=pk)
    elif action in ("reject", "pay"):
        form: RejectForm | PaidForm = RejectForm(request.POST) if action == "reject" else PaidForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(_("Please correct the errors below."))
            if action == "reject":
                payment = payment_services.payment_request_reject(
                    actor=actor, payment_id=pk, reason=form.cleaned_data["reason"]
                )
            else:
                payment = payment_services.payment_request_record_paid(
                    actor=actor, payment_id=pk, voucher_no=form.cleaned_data["voucher_no"]
                )
        except DomainError as exc:
            if exc.status in (403, 404, 409):
                raise
            _form_error(form, exc)
            key = "reject_form" if action == "reject" else "paid_form"
            return render(
                request, "budgets/payment_detail.html", _payment_context(actor, pk, **{key: form}), status=400
            )
    else:
        raise NotFound()
    messages.success(request, payment_done_message(action, payment))
    return redirect("budgets:payment_detail", pk=pk)


def payment_done_message(action: str, payment: Any) -> str:
    """Say what the payment action did, with the amount and (when paid) the voucher."""
    values = {"amount": format_cny(payment.amount), "voucher": payment.voucher_no}
    texts = {
        "submit": _("The payment request of %(amount)s was submitted for approval."),
        "approve": _("The payment request of %(amount)s was approved; record the payment when the treasury pays."),
        "reject": _("The payment request of %(amount)s was rejected; the amount can be requested again."),
        "pay": _("The payment of %(amount)s was recorded as paid with voucher %(voucher)s."),
    }
    return texts[action] % values


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    year = _year(request)
    total, per_unit = selectors.budget_figures(actor=actor, fiscal_year=year)
    today = clock.today()
    return render(
        request,
        "budgets/figures.html",
        {
            "total": total,
            "per_unit": per_unit,
            "per_region": selectors.budget_figures_by_region(actor=actor, fiscal_year=year),
            "year": year,
            "years": [today.year - 1, today.year, today.year + 1],
        },
    )
