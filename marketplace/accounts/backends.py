"""Password login by mobile number, with the (phone, IP) lockout built in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .ip import client_ip
from .phone import InvalidPhoneNumber, normalize_phone
from .services import (
    LoginLocked,
    login_check_lock,
    login_record_failure,
    login_record_success,
)


class PhonePasswordBackend(ModelBackend):
    """Authenticate `phone` (or `username`) in any form `normalize_phone` accepts,
    plus `password`.

    Input that is not an Iranian mobile number is left to the next backend (so
    staff with other usernames, and Oscar's e-mail login, still work). When a
    request is given, the lockout applies: a locked (phone, IP) pair raises
    `PermissionDenied`, which makes Django stop and refuse even a right password
    (so the next backends cannot be used to get round the lock); each failure is
    counted, each success resets the count. Unknown numbers cost the same password
    hash as known ones, and are counted and locked the same way.
    """

    def authenticate(self, request, phone=None, password=None, username=None, **kwargs):
        raw = phone if phone is not None else username
        if raw is None or password is None:
            return None
        try:
            phone = normalize_phone(raw)
        except InvalidPhoneNumber:
            return None
        ip = client_ip(request) if request is not None else None
        if ip is not None:
            try:
                login_check_lock(phone=phone, ip=ip)
            except LoginLocked as exc:
                raise PermissionDenied(str(exc)) from exc

        user_model = get_user_model()
        user = user_model._default_manager.filter(username=phone).first()
        if user is None:
            user_model().set_password(password)  # same cost as a real check
            ok = False
        else:
            ok = user.check_password(password) and self.user_can_authenticate(user)

        if ip is not None:
            if ok:
                login_record_success(phone=phone, ip=ip)
            else:
                login_record_failure(phone=phone, ip=ip)
        return user if ok else None
