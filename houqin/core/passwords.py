"""Password rules (DOMAIN.md §10): at least 3 of 4 character classes, not the username."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (
    ("lower", re.compile(r"[a-z]")),
    ("upper", re.compile(r"[A-Z]")),
    ("digit", re.compile(r"[0-9]")),
    ("symbol", re.compile(r"[^a-zA-Z0-9]")),
)


class CharacterClassValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for _name, pattern in _CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if not username:
            return
        lowered = password.lower()
        name = username.lower()
        if name in lowered or lowered in name:
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class MinimumLengthValidator:
    def __init__(self, min_length=8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码至少 %(n)d 位。") % {"n": self.min_length}, code="password_too_short"
            )

    def get_help_text(self):
        return _("密码至少 %(n)d 位。") % {"n": self.min_length}


class CommonPasswordValidator:
    """Django's list of 20,000 common passwords, with a Chinese message."""

    def __init__(self):
        from django.contrib.auth.password_validation import CommonPasswordValidator as Base

        self._base = Base()

    def validate(self, password, user=None):
        if password.lower().strip() in self._base.passwords:
            raise ValidationError(_("密码过于常见，请换一个。"), code="password_too_common")

    def get_help_text(self):
        return _("不能使用常见密码。")
