"""Plans through their services: filing, reservations, method changes, execution, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengcai.accounts.tests.factories import make_actor
from zhengcai.audit.models import AuditEvent
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.selectors import reservations_for_ref
from zhengcai.core.errors import DomainError, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.notify.models import OutboxMessage
from zhengcai.plans import execution, services
from zhengcai.plans.inputs import FundingInput
from zhengcai.plans.methods import Channel, Method
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import ChangeStatus, PlanStatus
from zhengcai.plans.tests.conftest import draft, items

pytestmark = pytest.mark.django_db


def test_small_plan_goes_to_mall_and_files_at_once(purchaser: Any, regulator: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"])
    assert plan.channel == Channel.E_MALL
    plan = services.plan_file(actor=purchaser, plan_id=plan.pk)
    assert plan.status == PlanStatus.FILED
    assert plan.rule_set_id is not None
    assert plan.chosen_method == Method.E_MALL
    assert reservations_for_ref(plan.ref) == [(lines["big"], Decimal("50000.00"))]
    assert AuditEvent.objects.filter(action="plans.plan.file", object_id=str(plan.pk)).exists()
    assert OutboxMessage.objects.filter(recipient_id=regulator.user_id, source_key=f"plan:{plan.pk}:filed").exists()


def test_overspending_refused_and_nothing_changes(purchaser: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["small"], qty="30")  # 150,000 against a 100,000 line
    with pytest.raises(InsufficientBudget):
        services.plan_file(actor=purchaser, plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.rule_set_id is None
    assert reservations_for_ref(plan.ref) == []


def test_two_lines_all_or_nothing(purchaser: Any, lines: dict[str, int]) -> None:
    plan = services.plan_create(
        actor=purchaser,
        title="两条指标",
        fiscal_year=2026,
        organisation_form="decentralised",
        required_by="2026-09-01",
        items=items(qty="40"),
        fundings=[FundingInput(lines["big"], "50000"), FundingInput(lines["small"], "150000")],
    )
    with pytest.raises(InsufficientBudget):
        services.plan_file(actor=purchaser, plan_id=plan.pk)
    assert reservations_for_ref(plan.ref) == []


def test_fundings_must_equal_total(purchaser: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"], amount="40000")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_file(actor=purchaser, plan_id=plan.pk)
    assert "fundings" in exc.value.fields


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("items-0-quantity", {"qty": "-1"}),
        ("items-0-quantity", {"qty": "abc"}),
        ("items-0-unit_price", {"price": "-5"}),
        ("items-0-unit_price", {"price": "five"}),
        ("items-0-catalogue_code", {"code": "Z99999999"}),
    ],
)
def test_bad_input_refused(purchaser: Any, lines: dict[str, int], field: str, kwargs: dict[str, str]) -> None:
    before = ProcurementPlan.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        draft(purchaser, lines["big"], **kwargs)
    assert field in exc.value.fields
    assert ProcurementPlan.objects.count() == before


def test_another_units_line_refused(purchaser: Any, other_unit_purchaser: Any, lines: dict[str, int]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        draft(other_unit_purchaser, lines["big"])
    assert "fundings-0-line_id" in exc.value.fields


def test_wrong_fiscal_year_refused(purchaser: Any, lines: dict[str, int]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(
            actor=purchaser,
            title="x",
            fiscal_year=2019,
            organisation_form="decentralised",
            required_by="2026-09-01",
            items=items(),
            fundings=[FundingInput(lines["big"], "50000")],
        )
    assert "fiscal_year" in exc.value.fields


def _big_plan(purchaser: Any, line: int, method: str) -> Any:
    # 2,500,000 reaches the open-tender threshold; desktops are centralised items.
    return draft(purchaser, line, qty="500", price="5000", method=method, form="centralised")


def test_method_change_approved_by_regulator(purchaser: Any, regulator: Any, lines: dict[str, int]) -> None:
    plan = _big_plan(purchaser, lines["big"], Method.COMPETITIVE_NEGOTIATION)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_file(actor=purchaser, plan_id=plan.pk, change=services.ChangeInput(reasons="短"))
    assert "reasons" in exc.value.fields
    pdf = SimpleUploadedFile("论证.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    plan = services.plan_file(
        actor=purchaser,
        plan_id=plan.pk,
        change=services.ChangeInput(reasons="技术复杂，无法事先计算价格总额。", attachments=[pdf]),
    )
    assert plan.status == PlanStatus.CHANGE_REQUESTED
    request = plan.change_requests.get()
    assert request.attachments.count() == 1
    request = services.plan_change_decide(actor=regulator, request_id=request.pk, approve=True, comments="同意")
    assert request.status == ChangeStatus.APPROVED
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_bad_attachment_refused(purchaser: Any, lines: dict[str, int]) -> None:
    plan = _big_plan(purchaser, lines["big"], Method.COMPETITIVE_NEGOTIATION)
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_file(
            actor=purchaser,
            plan_id=plan.pk,
            change=services.ChangeInput(reasons="技术复杂，需要谈判。", attachments=[exe]),
        )
    assert "attachments" in exc.value.fields
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert reservations_for_ref(plan.ref) == []


def test_single_source_needs_ground_and_notice(
    purchaser: Any, regulator: Any, lines: dict[str, int], frozen_clock: Any
) -> None:
    plan = _big_plan(purchaser, lines["big"], Method.SINGLE_SOURCE)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_file(
            actor=purchaser, plan_id=plan.pk, change=services.ChangeInput(reasons="只能从唯一供应商处采购。")
        )
    assert {"statutory_ground", "supplier_name"} <= set(exc.value.fields)
    plan = services.plan_file(
        actor=purchaser,
        plan_id=plan.pk,
        change=services.ChangeInput(
            reasons="只能从唯一供应商处采购。", statutory_ground="only_supplier", supplier_name="某公司"
        ),
    )
    request = plan.change_requests.get()
    assert request.notice_ends_on == dt.date(2026, 3, 9)  # 5 working days after Monday 2 March
    with pytest.raises(DomainError):
        services.plan_change_decide(actor=regulator, request_id=request.pk, approve=True)
    frozen_clock.advance(dt.timedelta(days=8))
    services.plan_change_decide(actor=regulator, request_id=request.pk, approve=True)


def test_change_decision_authorisation(
    purchaser: Any, regulator: Any, other_regulator: Any, lines: dict[str, int]
) -> None:
    plan = _big_plan(purchaser, lines["big"], Method.COMPETITIVE_NEGOTIATION)
    plan = services.plan_file(
        actor=purchaser, plan_id=plan.pk, change=services.ChangeInput(reasons="技术复杂，需要谈判。")
    )
    request = plan.change_requests.get()
    for actor in (
        other_regulator,
        make_actor(OrgType.OPERATOR),
        make_actor(OrgType.SUPPLIER),
        make_actor(OrgType.AGENCY),
    ):
        with pytest.raises(NotFound):
            services.plan_change_decide(actor=actor, request_id=request.pk, approve=True)
    with pytest.raises(NotPermitted):
        services.plan_change_decide(actor=purchaser, request_id=request.pk, approve=True)
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING
    with pytest.raises(ValidationFailed):
        services.plan_change_decide(actor=regulator, request_id=request.pk, approve=False, comments="")
    services.plan_change_decide(actor=regulator, request_id=request.pk, approve=False, comments="理由不充分")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REJECTED
    plan = services.plan_revise(actor=purchaser, plan_id=plan.pk)
    assert plan.status == PlanStatus.DRAFT
    assert reservations_for_ref(plan.ref) == []


def test_plan_services_refuse_other_roles(
    purchaser: Any, other_unit_purchaser: Any, regulator: Any, lines: dict[str, int]
) -> None:
    plan = draft(purchaser, lines["big"])
    for actor in (other_unit_purchaser, make_actor(OrgType.SUPPLIER), make_actor(OrgType.OPERATOR)):
        with pytest.raises(NotFound):
            services.plan_file(actor=actor, plan_id=plan.pk)
        with pytest.raises(NotFound):
            services.plan_cancel(actor=actor, plan_id=plan.pk)
    with pytest.raises(NotPermitted):
        services.plan_file(actor=regulator, plan_id=plan.pk)
    with pytest.raises(NotPermitted):
        draft(regulator, lines["big"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert reservations_for_ref(plan.ref) == []


def test_intention_blocks_early_start(purchaser: Any, lines: dict[str, int], frozen_clock: Any) -> None:
    plan = draft(purchaser, lines["big"], qty="300", price="5000", form="centralised")  # 1.5 M: project
    plan = services.plan_file(actor=purchaser, plan_id=plan.pk)
    assert plan.channel == Channel.PROJECT
    assert plan.status == PlanStatus.FILED
    with pytest.raises(execution.IntentionPeriodRunning):
        execution.plan_start_execution(actor=purchaser, plan_id=plan.pk)
    plan = execution.plan_intention_publish(actor=purchaser, plan_id=plan.pk, summary="采购计算机300台")
    assert plan.earliest_start == dt.date(2026, 4, 1)
    with pytest.raises(execution.IntentionPeriodRunning):
        execution.plan_start_execution(actor=purchaser, plan_id=plan.pk)
    frozen_clock.advance(dt.timedelta(days=30))
    plan = execution.plan_start_execution(actor=purchaser, plan_id=plan.pk)
    assert plan.status == PlanStatus.EXECUTING


def test_commit_release_complete_and_cancel(purchaser: Any, lines: dict[str, int]) -> None:
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    commitment = execution.plan_commit(
        actor=purchaser,
        plan_id=plan.pk,
        line_id=lines["big"],
        amount=Decimal("45000.00"),
        commitment_ref="contract:1",
        supplier_org_id=None,
        description="台式机 9 台",
    )
    assert commitment.amount == Decimal("45000.00")
    with pytest.raises(InsufficientBudget):
        execution.plan_commit(
            actor=purchaser,
            plan_id=plan.pk,
            line_id=lines["big"],
            amount=Decimal("6000"),
            commitment_ref="contract:2",
            supplier_org_id=None,
            description="",
        )
    execution.plan_release_savings(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=Decimal("1000"))
    plan = execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert plan.status == PlanStatus.COMPLETED
    assert plan.released_amount == Decimal("5000.00")
    assert reservations_for_ref(plan.ref) == []
    with pytest.raises(InvalidTransition):
        services.plan_cancel(actor=purchaser, plan_id=plan.pk)

    other = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    services.plan_cancel(actor=purchaser, plan_id=other.pk)
    assert reservations_for_ref(other.ref) == []
