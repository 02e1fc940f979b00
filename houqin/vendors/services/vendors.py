"""Writes of vendors, their contracts and their staff roster."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from houqin.org.validators import normalize_phone, validate_phone

from ..models import Contract, Vendor, VendorStaff
from .common import number as decimal
from .common import require, text

CREDIT_CODE_LEN = 18


def _phone(value, field="phone"):
    value = normalize_phone(value)
    try:
        validate_phone(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return value


def _choice(value, enum, field, label):
    if value not in enum.values:
        raise ValidationError({field: _("请选择%(l)s。") % {"l": label}})
    return value


@transaction.atomic
def vendor_save(
    *,
    actor,
    center,
    vendor=None,
    name,
    kind,
    credit_code="",
    contact="",
    phone="",
    address="",
    is_active=True,
):
    center_id = vendor.center_id if vendor else getattr(center, "pk", center)
    require(actor, center_id, "vendors.change_vendor" if vendor else "vendors.add_vendor")
    name = text(name, "name", _("单位名称"), 100, required=True)
    kind = _choice(kind, Vendor.Kind, "kind", _("服务类别"))
    credit_code = text(credit_code, "credit_code", _("统一社会信用代码"), 18).upper()
    if credit_code and (len(credit_code) != CREDIT_CODE_LEN or not credit_code.isalnum()):
        raise ValidationError({"credit_code": _("统一社会信用代码应为 18 位数字或字母。")})
    contact = text(contact, "contact", _("联系人"), 40)
    phone = _phone(phone)
    address = text(address, "address", _("地址"), 200)
    clash = Vendor.objects.filter(center_id=center_id, name=name)
    if vendor:
        clash = clash.exclude(pk=vendor.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名的外包单位。")})
    if vendor is None:
        vendor = Vendor(center_id=center_id)
    vendor.name, vendor.kind, vendor.credit_code = name, kind, credit_code
    vendor.contact, vendor.phone, vendor.address = contact, phone, address
    vendor.is_active = bool(is_active)
    vendor.save()
    return vendor


@transaction.atomic
def contract_save(
    *,
    actor,
    vendor,
    contract=None,
    number,
    service,
    start_date,
    end_date,
    amount,
    payment_terms,
    renewal_notice_days=60,
    procurement=None,
    notes="",
):
    """A service contract of `vendor` (number unique in the center, end not before start,
    the procurement record, if any, of the same center)."""
    center_id = vendor.center_id
    require(actor, center_id, "vendors.change_contract" if contract else "vendors.add_contract")
    if contract is not None and contract.vendor_id != vendor.pk:
        raise ValidationError(_("合同不属于该外包单位。"))
    number = text(number, "number", _("合同编号"), 60, required=True)
    service = text(service, "service", _("服务内容"), 200, required=True)
    if not isinstance(start_date, dt.date):
        raise ValidationError({"start_date": _("请填写开始日期。")})
    if not isinstance(end_date, dt.date):
        raise ValidationError({"end_date": _("请填写结束日期。")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    amount = decimal(amount, "amount", _("合同金额"), places=2, maximum=Decimal("999999999999"))
    payment_terms = _choice(payment_terms, Contract.PaymentTerms, "payment_terms", _("付款方式"))
    if renewal_notice_days is None:
        renewal_notice_days = 60
    if not 0 <= int(renewal_notice_days) <= 365:
        raise ValidationError({"renewal_notice_days": _("到期提前提醒天数应在 0 至 365 之间。")})
    if procurement is not None and procurement.center_id != center_id:
        raise ValidationError({"procurement": _("请选择本中心的政府采购记录。")})
    notes = text(notes, "notes", _("说明"), 2000)
    clash = Contract.objects.filter(center_id=center_id, number=number)
    if contract:
        clash = clash.exclude(pk=contract.pk)
    if clash.exists():
        raise ValidationError({"number": _("合同编号已存在。")})
    if contract is None:
        contract = Contract(center_id=center_id, vendor=vendor)
    contract.number, contract.service = number, service
    contract.start_date, contract.end_date = start_date, end_date
    contract.amount, contract.payment_terms = amount, payment_terms
    contract.renewal_notice_days = int(renewal_notice_days)
    contract.procurement = procurement
    contract.notes = notes
    contract.save()
    return contract


@transaction.atomic
def staff_save(
    *,
    actor,
    vendor,
    staff=None,
    name,
    post,
    phone="",
    screening=VendorStaff.Screening.PENDING,
    health_cert_no="",
    health_cert_expiry=None,
    start_date=None,
    end_date=None,
):
    require(
        actor,
        vendor.center_id,
        "vendors.change_vendorstaff" if staff else "vendors.add_vendorstaff",
    )
    if staff is not None and staff.vendor_id != vendor.pk:
        raise ValidationError(_("人员不属于该外包单位。"))
    name = text(name, "name", _("姓名"), 40, required=True)
    post = text(post, "post", _("岗位"), 40, required=True)
    phone = _phone(phone)
    screening = _choice(screening, VendorStaff.Screening, "screening", _("政审/背景审查"))
    health_cert_no = text(health_cert_no, "health_cert_no", _("健康证号"), 40)
    if health_cert_no and health_cert_expiry is None:
        raise ValidationError({"health_cert_expiry": _("请填写健康证有效期。")})
    if vendor.kind == vendor.Kind.CANTEEN and not health_cert_no and health_cert_expiry:
        raise ValidationError({"health_cert_no": _("请填写健康证号。")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("离岗日期不能早于上岗日期。")})
    if staff is None:
        staff = VendorStaff(vendor=vendor)
    staff.name, staff.post, staff.phone, staff.screening = name, post, phone, screening
    staff.health_cert_no, staff.health_cert_expiry = health_cert_no, health_cert_expiry
    staff.start_date, staff.end_date = start_date, end_date
    staff.save()
    return staff


@transaction.atomic
def staff_leave(*, actor, staff, end_date):
    """The person leaves their post on `end_date` (kept on the roster as 已离岗)."""
    require(actor, staff.vendor.center_id, "vendors.change_vendorstaff")
    if not isinstance(end_date, dt.date):
        raise ValidationError({"end_date": _("请填写离岗日期。")})
    if staff.end_date is not None:
        raise ValidationError({"end_date": _("该人员已离岗。")})
    if staff.start_date and end_date < staff.start_date:
        raise ValidationError({"end_date": _("离岗日期不能早于上岗日期。")})
    staff.end_date = end_date
    staff.save(update_fields=["end_date", "updated_at"])
    return staff
