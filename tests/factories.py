"""factory_boy factories for our domain, built on Oscar's own where they exist."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from oscar.test.factories import PartnerFactory as OscarPartnerFactory

from catalog.models import Category, Product, ProductCategory, ProductClass
from sellers.models import (
    CaseFile,
    DeliveryOption,
    District,
    KowsarCentre,
    Programme,
    Province,
    Seller,
    SellerMember,
)
from sellers.partner.models import StockRecord


def provinces_loaded() -> None:
    """A transactional test empties every table (the data migration's provinces
    too); load them again."""
    from sellers.provinces import provinces_ensure

    provinces_ensure()


def tehran() -> Province:
    provinces_loaded()
    return Province.objects.get(code=Province.TEHRAN_CODE)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("pass-1234-word")


class StaffFactory(UserFactory):
    is_staff = True


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: (n % 22) + 1)
    name = factory.LazyAttribute(lambda o: f"منطقه {o.number}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "municipality"
    name = "شهرداری تهران"


class KowsarCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KowsarCentre

    name = factory.Sequence(lambda n: f"مرکز کوثر {n}")
    district = factory.SubFactory(DistrictFactory)


class PartnerFactory(OscarPartnerFactory):
    name = factory.Sequence(lambda n: f"غرفه {n}")

    class Meta:
        skip_postgeneration_save = True


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    partner = factory.SubFactory(PartnerFactory)
    brand_name = factory.Sequence(lambda n: f"دوخت مهر {n}")
    slug = factory.Sequence(lambda n: f"booth-{n}")
    trade = "خیاطی"
    province = factory.LazyFunction(tehran)
    city = "تهران"
    district = factory.SubFactory(DistrictFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    status = Seller.Status.APPROVED


class SellerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerMember

    seller = factory.SubFactory(SellerFactory)
    user = factory.SubFactory(UserFactory)
    role = SellerMember.Role.OWNER


class DeliveryOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryOption

    seller = factory.SubFactory(SellerFactory)
    kind = DeliveryOption.Kind.POST
    fee = Decimal(500_000)


class CaseFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseFile

    seller = factory.SubFactory(SellerFactory)
    head_of_household = True
    welfare_case_number = factory.Sequence(lambda n: f"CASE-{n:06d}")


class CategoryFactory(factory.django.DjangoModelFactory):
    """A root category; use `Category.add_child` for subcategories."""

    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"دسته {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.add_root(**kwargs)


def make_product(
    *,
    seller: Seller | None = None,
    category: Category | None = None,
    title: str = "دستبند چرم دست‌دوز",
    price_rials: int = 1_250_000,
    num_in_stock: int = 10,
    is_public: bool = True,
    made_to_order: bool = False,
    preparation_days: int | None = None,
) -> Product:
    """A standalone product with its one stock record (its seller's) and category.
    `made_to_order`: no stock tracked, prepared in `preparation_days`."""
    seller = seller or SellerFactory()
    if made_to_order:
        product_class, _ = ProductClass.objects.get_or_create(
            slug="made-to-order", defaults={"name": "سفارشی", "track_stock": False}
        )
    else:
        product_class, _ = ProductClass.objects.get_or_create(
            slug="handmade", defaults={"name": "دست‌ساخته", "track_stock": True}
        )
    product = Product.objects.create(
        title=title,
        product_class=product_class,
        structure=Product.STANDALONE,
        is_public=is_public,
        description="چرم طبیعی، دوخت دست",
        fulfilment="made_to_order" if made_to_order else "ready",
        preparation_days=preparation_days,
    )
    StockRecord.objects.create(
        product=product,
        partner=seller.partner,
        partner_sku=f"sku-{product.pk}",
        price_currency="IRR",
        price=Decimal(price_rials),
        num_in_stock=num_in_stock,
    )
    if category is not None:
        ProductCategory.objects.create(product=product, category=category)
    return product


def grant(user, *codenames: str):
    """Give a user permissions of the sellers app by codename."""
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="sellers", codename=codename)
        )
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def seller_with_owner(
    phone: str, *, first_name: str = "", last_name: str = "", **seller_fields
) -> tuple[Seller, object]:
    """A seller (approved unless told) and its owner, whose login is `phone`."""
    owner = UserFactory(username=phone, first_name=first_name, last_name=last_name)
    seller = SellerFactory(**seller_fields)
    SellerMemberFactory(seller=seller, user=owner, role=SellerMember.Role.OWNER)
    return seller, owner
