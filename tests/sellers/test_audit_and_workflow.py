"""One audit mechanism for every seller and product workflow, walked service by
service, and one transition table read by the services, the staff buttons and
the audit labels."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import sellers.services
from catalog import services as catalog_services
from catalog.models import Product
from orders.stalls import stall_sale_record  # declares its workflow on import
from sellers import audit, services
from sellers.models import (
    Requirement,
    Seller,
    SellerAuditEntry,
    SellerInvitation,
    SellerMember,
)
from sellers.workflow import OPEN_STATUSES, REVIEWER, TRANSITIONS
from tests.catalog.panel_fixtures import approved_product, product_data
from tests.factories import StaffFactory, UserFactory, grant, seller_with_owner

pytestmark = pytest.mark.django_db

S = Seller.Status
SHEBA = "IR062960000000100324200001"


def _service_modules():
    yield catalog_services
    for info in pkgutil.iter_modules(sellers.services.__path__):
        yield importlib.import_module(f"sellers.services.{info.name}")


# Functions of the service modules that change nothing (reads, checks, helpers).
READS = {
    "requirements_for",
    "requirements_missing",
    "invitations_for",
    "casefile_read",  # logged in the case file's own access log
    "seller_notify",  # part of the workflows that call it
    "sms_quietly",
    "seller_of",
    "can_delete_product",
    "can_moderate_products",
    "require_owner",
    "require_reviewer",
    "require_reason",
    # assisted selling (issue 28): who may be chosen, what was done, the login
    # summary (marks her membership as having seen it; nothing of the booth)
    "delegation_candidates",
    "delegated_entries",
    "delegated_summary",
    "delegated_summary_take",
    "delegations_live_for",
}
# Named entry points that only call the `seller_transition` workflow.
TRANSITION_ENTRY_POINTS = {
    "seller_start_review",
    "seller_approve",
    "seller_request_changes",
    "seller_reject",
    "seller_suspend",
    "seller_reinstate",
    "seller_resubmit",
}


def test_every_public_service_function_is_a_declared_workflow_or_a_read():
    for module in _service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            declared = f"{module.__name__}.{name}" in audit.WORKFLOWS
            entry_point = name in TRANSITION_ENTRY_POINTS
            assert declared or name in READS or entry_point, (
                f"{module.__name__}.{name} is neither a workflow nor a read"
            )


@pytest.fixture
def workflow_world(db, shop_categories):
    """A reviewer, a mentor, a case-file editor, and a group booth with its owner,
    a member, a pending product and a live one."""
    reviewer = grant(
        StaffFactory(username="+989120000201"),
        "review_seller",
        "mentor_seller",
        "view_casefile",
        "change_casefile",
    )
    seller, owner = seller_with_owner(
        "+989122220000", kind=Seller.Kind.GROUP, status=S.APPLIED
    )
    member = UserFactory(username="+989122220001")
    membership = SellerMember.objects.create(seller=seller, user=member)
    Seller.objects.filter(pk=seller.pk).update(status=S.APPROVED)
    seller.refresh_from_db()
    category = shop_categories["bracelet"]
    live = approved_product(seller, owner, category)
    pending = catalog_services.product_create(
        seller=seller, actor=owner, data=product_data(category, title="کیف تازه")
    )
    Product.objects.filter(pk=pending.pk).update(
        moderation_status=Product.Moderation.PENDING
    )
    pending.refresh_from_db()
    return {
        "reviewer": reviewer,
        "seller": seller,
        "owner": owner,
        "member": member,
        "membership": membership,
        "category": category,
        "live": live,
        "pending": pending,
    }


def _delegation(w):
    """A live delegation of every area to the reviewer (written directly, so
    only the workflow under test writes an audit entry)."""
    from sellers.models import Delegation

    return Delegation.objects.create(
        seller=w["seller"],
        delegate=w["reviewer"],
        granted_by=w["owner"],
        areas=list(Delegation.Area.values),
        ends_on=timezone.localdate() + dt.timedelta(days=5),
    )


def _delegation_grant(w):
    Seller.objects.filter(pk=w["seller"].pk).update(mentor=w["reviewer"])
    w["seller"].refresh_from_db()
    return services.delegation_grant(
        seller=w["seller"],
        actor=w["owner"],
        delegate=w["reviewer"],
        areas=["products"],
        ends_on=timezone.localdate() + dt.timedelta(days=5),
    )


def _delegated_step(w):
    with audit.acting_under(_delegation(w)):
        return services.delegated_order_step_record(
            seller=w["seller"], actor=w["reviewer"], action="accept", part_number="1-1"
        )


# One call per workflow: (workflow, how to call it on `workflow_world`, action it audits).
CALLS = {
    "sellers.services.applying.seller_apply": (
        lambda w: services.seller_apply(
            user=UserFactory(username="+989124440000"),
            application=services.Application(
                kind=Seller.Kind.INDIVIDUAL,
                brand_name="سفال آبی",
                trade="سفالگری",
                district=w["seller"].district,
                programme=w["seller"].programme,
            ),
        ),
        "apply",
    ),
    "sellers.services.review.seller_transition": (
        lambda w: services.seller_suspend(
            seller=w["seller"], actor=w["reviewer"], reason="عکس‌ها"
        ),
        "suspend",
    ),
    "sellers.services.checklist.requirement_set": (
        lambda w: services.requirement_set(
            seller=w["seller"],
            requirement=Requirement.objects.create(title="دوره"),
            done=True,
            actor=w["reviewer"],
        ),
        "checklist_done",
    ),
    "sellers.services.mentoring.mentoring_update": (
        lambda w: services.mentoring_update(
            seller=w["seller"],
            actor=w["reviewer"],
            stage=Seller.MentoringStage.IN_TRAINING,
        ),
        "mentoring_stage",
    ),
    "sellers.services.mentoring.mentoring_session_add": (
        lambda w: services.mentoring_session_add(
            seller=w["seller"],
            actor=w["reviewer"],
            held_on=timezone.localdate(),
            topic="قیمت‌گذاری",
        ),
        "mentoring_session_add",
    ),
    "sellers.services.casefile.casefile_update": (
        lambda w: services.casefile_update(
            seller=w["seller"], user=w["reviewer"], notes="یادداشت"
        ),
        "casefile_update",
    ),
    "sellers.services.members.member_invite": (
        lambda w: services.member_invite(
            seller=w["seller"], actor=w["owner"], phone="09125550000", role="member"
        ),
        "member_invite",
    ),
    "sellers.services.members.invitation_accept": (
        lambda w: services.invitation_accept(
            invitation_id=SellerInvitation.objects.create(
                seller=w["seller"], phone="+989126660000"
            ).pk,
            user=UserFactory(username="+989126660000"),
        ),
        "member_join",
    ),
    "sellers.services.members.invitation_cancel": (
        lambda w: services.invitation_cancel(
            seller=w["seller"],
            actor=w["owner"],
            invitation_id=SellerInvitation.objects.create(
                seller=w["seller"], phone="+989127770000"
            ).pk,
        ),
        "invitation_cancel",
    ),
    "sellers.services.members.member_remove": (
        lambda w: services.member_remove(
            seller=w["seller"], actor=w["owner"], member_id=w["membership"].pk
        ),
        "member_remove",
    ),
    "sellers.services.members.member_role_set": (
        lambda w: services.member_role_set(
            seller=w["seller"],
            actor=w["owner"],
            member_id=w["membership"].pk,
            role="owner",
        ),
        "member_role_set",
    ),
    "sellers.services.payout.payout_details_update": (
        lambda w: services.payout_details_update(
            seller=w["seller"], actor=w["owner"], account_holder="مریم", sheba=SHEBA
        ),
        "payout_update",
    ),
    "sellers.services.delivery.delivery_options_update": (
        lambda w: services.delivery_options_update(
            seller=w["seller"],
            actor=w["owner"],
            settings={"post": services.DeliverySetting(active=True, fee=Decimal(1))},
            weekly_capacity=5,
        ),
        "delivery_update",
    ),
    "sellers.services.delegation.delegation_grant": (
        lambda w: _delegation_grant(w),
        "delegation_grant",
    ),
    "sellers.services.delegation.delegation_withdraw": (
        lambda w: services.delegation_withdraw(
            delegation=_delegation(w), actor=w["owner"]
        ),
        "delegation_withdraw",
    ),
    "sellers.services.delegation.delegated_order_step_record": (
        lambda w: _delegated_step(w),
        "order_accept",
    ),
    "sellers.services.holiday.seller_holiday_set": (
        lambda w: services.seller_holiday_set(
            seller=w["seller"],
            actor=w["owner"],
            until=timezone.localdate() + dt.timedelta(days=3),
        ),
        "holiday_start",
    ),
    "sellers.services.bazaars.bazaar_stall_assign": (
        lambda w: services.bazaar_stall_assign(
            bazaar=_bazaar(),
            seller=w["seller"],
            stall_number="۱",
            actor=_bazaar_staff(),
        ),
        "bazaar_stall_assign",
    ),
    "sellers.services.bazaars.bazaar_stall_remove": (
        lambda w: services.bazaar_stall_remove(stall=_stall(w), actor=_bazaar_staff()),
        "bazaar_stall_remove",
    ),
    "sellers.services.bazaars.bazaar_set_aside": (
        lambda w: services.bazaar_set_aside(
            stall=_stall(w), stockrecord_id=_record(w), units=1, actor=w["owner"]
        ),
        "bazaar_set_aside",
    ),
    "orders.stalls.stall_sale_record": (
        lambda w: stall_sale_record(
            stall=_stall(w), stockrecord_id=_record(w), quantity=1, actor=w["member"]
        ),
        "stall_sale",
    ),
    "sellers.services.story.seller_story_consent_set": (
        lambda w: services.seller_story_consent_set(
            seller=w["seller"], actor=w["owner"], consent=True
        ),
        "story_consent_given",
    ),
    "catalog.services.product_create": (
        lambda w: catalog_services.product_create(
            seller=w["seller"], actor=w["member"], data=product_data(w["category"])
        ),
        "product_create",
    ),
    "catalog.services.product_update": (
        lambda w: catalog_services.product_update(
            product=w["live"],
            actor=w["owner"],
            data=product_data(w["category"], title="دستبند نو"),
        ),
        "product_update",
    ),
    "catalog.services.product_pause": (
        lambda w: catalog_services.product_pause(product=w["live"], actor=w["owner"]),
        "product_pause",
    ),
    "catalog.services.product_unpause": (
        lambda w: catalog_services.product_unpause(product=w["live"], actor=w["owner"]),
        "product_unpause",
    ),
    "catalog.services.product_duplicate": (
        lambda w: catalog_services.product_duplicate(
            product=w["live"], actor=w["owner"]
        ),
        "product_duplicate",
    ),
    "catalog.services.product_delete": (
        lambda w: catalog_services.product_delete(product=w["live"], actor=w["owner"]),
        "product_delete",
    ),
    "catalog.services.product_photos_arrange": (
        lambda w: catalog_services.product_photos_arrange(
            product=w["live"], actor=w["owner"], positions={}
        ),
        "product_photos",
    ),
    "catalog.services.product_moderate": (
        lambda w: catalog_services.product_moderate(
            product=w["pending"], actor=w["reviewer"], approve=True
        ),
        "product_approve",
    ),
}


def _bazaar():
    from sellers.models import Bazaar

    today = timezone.localdate()
    return Bazaar.objects.create(
        name="بازارچه دستاوردهای زنان شهر تهران",
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
        place="بوستان لاله",
    )


def _bazaar_staff():
    return grant(StaffFactory(username="+989120000299"), "change_bazaar")


def _stall(w):
    from sellers.models import BazaarStall

    return BazaarStall.objects.create(
        bazaar=_bazaar(), seller=w["seller"], stall_number="2"
    )


def _record(w):
    from sellers.partner.models import StockRecord

    record = StockRecord.objects.get(product=w["live"])
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=5)
    return record.pk


def test_the_walk_covers_every_declared_workflow():
    assert set(CALLS) == set(audit.WORKFLOWS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_workflow_writes_an_audit_entry(workflow_world, name):
    call, action = CALLS[name]
    before = set(SellerAuditEntry.objects.values_list("pk", flat=True))
    call(workflow_world)
    written = SellerAuditEntry.objects.exclude(pk__in=before)
    assert [entry.action for entry in written] == [action]
    entry = written.get()
    assert entry.action in audit.LABELS
    # the status columns hold seller statuses only
    assert {entry.from_status, entry.to_status} <= {"", *S.values}


def test_a_workflow_that_forgets_its_audit_entry_fails_and_is_rolled_back(
    workflow_world,
):
    @audit.workflow
    def careless(*, seller):
        Seller.objects.filter(pk=seller.pk).update(trade="هیچ")

    del audit.WORKFLOWS[f"{careless.__module__}.careless"]
    with pytest.raises(audit.AuditMissing):
        careless(seller=workflow_world["seller"])
    workflow_world["seller"].refresh_from_db()
    assert workflow_world["seller"].trade != "هیچ"


def test_an_audit_action_without_a_label_is_refused(workflow_world):
    with pytest.raises(ValueError):
        audit.record(seller=workflow_world["seller"], actor=None, action="holiday_set")


def test_mentoring_stages_stay_out_of_the_status_columns(workflow_world):
    services.mentoring_update(
        seller=workflow_world["seller"],
        actor=workflow_world["reviewer"],
        stage=Seller.MentoringStage.MENTORED,
    )
    entry = SellerAuditEntry.objects.get(action="mentoring_stage")
    assert (entry.from_stage, entry.to_stage) == ("enrolled", "mentored")
    assert entry.from_status == entry.to_status == S.APPROVED


# --- the transition table, the staff buttons and the labels ------------------------


def test_every_transition_has_its_label_and_reviewer_ones_their_button():
    for transition in TRANSITIONS:
        assert audit.LABELS[transition.action] == transition.audit_label
        if transition.by == REVIEWER:
            assert transition.button and transition.done_message


def test_the_open_statuses_are_the_undecided_ones():
    assert set(OPEN_STATUSES) == {S.APPLIED, S.IN_REVIEW, S.CHANGES_REQUESTED}
    # an open application blocks a second one
    seller, owner = seller_with_owner("+989128880000", status=S.CHANGES_REQUESTED)
    with pytest.raises(ValidationError):
        services.seller_apply(
            user=owner,
            application=services.Application(
                kind=Seller.Kind.INDIVIDUAL,
                brand_name="دومی",
                trade="خیاطی",
                district=seller.district,
                programme=seller.programme,
            ),
        )


def test_the_staff_file_shows_every_audit_action_by_its_label_never_its_code(
    client, workflow_world
):
    seller = workflow_world["seller"]
    for action in audit.LABELS:
        audit.record(seller=seller, actor=workflow_world["reviewer"], action=action)
    client.force_login(workflow_world["reviewer"])
    response = client.get(
        reverse("sellers_staff:file", kwargs={"seller_id": seller.pk})
    )
    assert response.status_code == 200
    history = response.content.decode().split('data-testid="audit"', 1)[1]
    history = history.split("</section>", 1)[0]
    for action, label in audit.LABELS.items():
        assert label in history
        assert f">{action}<" not in history and f" {action} " not in history


def test_the_migration_moves_old_mentoring_entries_to_the_stage_columns(workflow_world):
    """An old data migration, run with the models as they were then. The table
    is append-only since sellers/0010, so its trigger is set aside for this one
    call (on a fresh database the migration runs before the trigger exists)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    apps = (
        MigrationLoader(connection)
        .project_state(("sellers", "0005_audit_mentoring_stage_columns"))
        .apps
    )
    migration = importlib.import_module(
        "sellers.migrations.0005_audit_mentoring_stage_columns"
    )
    old = SellerAuditEntry.objects.create(
        seller=workflow_world["seller"],
        action="mentoring_stage",
        from_status="enrolled",
        to_status="in_training",
    )
    other = SellerAuditEntry.objects.create(
        seller=workflow_world["seller"],
        action="approve",
        from_status="applied",
        to_status="approved",
    )
    if connection.vendor == "postgresql":
        # Triggers fire for "origin" sessions only; until the test's transaction
        # ends this one acts as a replica.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    migration.stages_to_their_columns(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.from_stage, old.to_stage) == ("enrolled", "in_training")
    assert old.from_status == old.to_status == ""
    assert (other.from_status, other.to_status, other.to_stage) == (
        "applied",
        "approved",
        "",
    )
