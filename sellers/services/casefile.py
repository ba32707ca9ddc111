"""Case files: staff-only facts from a seller's social-work file. Every read and
every change is logged in the case file's own access log (`CaseFileAccess`);
changes are also audited on her file, without their content."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import audit, permissions
from ..models import CaseFile, CaseFileAccess, Seller

_EDITABLE = {
    "head_of_household",
    "welfare_case_number",
    "insurance",
    "referral_source",
    "notes",
}


@transaction.atomic
def casefile_read(*, seller: Seller, user: User, purpose: str = "view") -> CaseFile:
    """Return the seller's case file and log the read.

    Needs `sellers.view_casefile`."""
    if not permissions.can_read_casefile(user):
        raise PermissionDenied
    case_file, _ = CaseFile.objects.get_or_create(seller=seller)
    CaseFileAccess.objects.create(case_file=case_file, user=user, purpose=purpose)
    return case_file


@audit.workflow
def casefile_update(*, seller: Seller, user: User, **fields) -> CaseFile:
    """Change the case file. Needs `sellers.change_casefile`."""
    if not permissions.can_change_casefile(user):
        raise PermissionDenied
    case_file, _ = CaseFile.objects.get_or_create(seller=seller)
    for name, value in fields.items():
        if name not in _EDITABLE:
            raise ValueError(name)
        setattr(case_file, name, value)
    case_file.save()
    CaseFileAccess.objects.create(case_file=case_file, user=user, purpose="change")
    audit.record(seller=seller, actor=user, action="casefile_update")
    return case_file
