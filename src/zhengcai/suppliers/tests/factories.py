"""Factories for suppliers, shared by the e-mall apps' tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from zhengcai.accounts.tests.factories import OrganisationFactory
from zhengcai.core.roles import OrgType
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import EnterpriseSize, SupplierStatus


class SupplierOrgFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"测试供应商{n}有限公司")
    org_type = OrgType.SUPPLIER


class SupplierProfileFactory(factory.django.DjangoModelFactory):
    """An approved supplier, able to sell, unless told otherwise."""

    class Meta:
        model = SupplierProfile

    organisation = factory.SubFactory(SupplierOrgFactory)
    legal_representative = "王建国"
    contact_name = "李娜"
    contact_phone = "13800000000"
    bank_name = "中国工商银行衢州分行"
    bank_account = "1209000000000000000"
    business_scope = "办公用品、计算机及外部设备销售"
    size = EnterpriseSize.SMALL
    sme_declared_at = factory.LazyFunction(timezone.now)
    status = SupplierStatus.APPROVED
    created_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)
