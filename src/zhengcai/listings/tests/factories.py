"""Factories for e-mall categories and listings, shared by the e-mall apps' tests."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from zhengcai.listings.models import AttributeSpec, Category, Listing
from zhengcai.listings.states import ListingStatus, ReferenceSource
from zhengcai.suppliers.tests.factories import SupplierProfileFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"类目{n}")


class AttributeSpecFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeSpec

    category = factory.SubFactory(CategoryFactory)
    key = factory.Sequence(lambda n: f"attr{n}")
    label = factory.Sequence(lambda n: f"属性{n}")


class ListingFactory(factory.django.DjangoModelFactory):
    """A listed product of an approved supplier."""

    class Meta:
        model = Listing

    supplier = factory.LazyFunction(lambda: SupplierProfileFactory().organisation)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"得力A4复印纸70g 500张/包 型号{n}")
    brand = "得力"
    model = factory.Sequence(lambda n: f"DL-{n:04d}")
    specs = factory.LazyFunction(dict)
    price = Decimal("25.00")
    reference_price = Decimal("29.90")
    reviewed_price = factory.SelfAttribute("price")
    reference_source = ReferenceSource.ECOMMERCE
    stock = 100
    delivery_regions = factory.LazyFunction(lambda: ["330000"])
    status = ListingStatus.LISTED
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
    listed_at = factory.LazyFunction(timezone.now)
