"""Forms of vendors, their contracts and their staff."""

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.finance.models import Procurement

from ..models import Contract, Vendor, VendorStaff
from .common import VendorsForm, choices, date_field, textarea


class VendorForm(VendorsForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("服务类别"), choices=choices(Vendor.Kind))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact = forms.CharField(label=_("联系人"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("合作中"), required=False, initial=True)

    FIELDS = ("name", "kind", "credit_code", "contact", "phone", "address", "is_active")

    @classmethod
    def for_vendor(cls, vendor, data=None):
        if vendor is None:
            return cls(data)
        return cls(data, initial=cls.initial_from(vendor, cls.FIELDS))


class ContractForm(VendorsForm):
    vendor = forms.ModelChoiceField(label=_("外包单位"), queryset=Vendor.objects.none())
    number = forms.CharField(label=_("合同编号"), max_length=60)
    service = forms.CharField(label=_("服务内容"), max_length=200)
    start_date = date_field(_("开始日期"))
    end_date = date_field(_("结束日期"))
    amount = forms.DecimalField(
        label=_("合同金额（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    payment_terms = forms.ChoiceField(label=_("付款方式"), choices=choices(Contract.PaymentTerms))
    renewal_notice_days = forms.IntegerField(
        label=_("到期提前提醒（天）"), min_value=0, max_value=365, initial=60
    )
    procurement = forms.ModelChoiceField(
        label=_("政府采购"),
        queryset=Procurement.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
    )
    notes = textarea(_("说明"), 2000)

    FIELDS = (
        "vendor",
        "number",
        "service",
        "start_date",
        "end_date",
        "amount",
        "payment_terms",
        "renewal_notice_days",
        "procurement",
        "notes",
    )

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(center_id=center_id)
        self.fields["procurement"].queryset = Procurement.objects.filter(
            center_id=center_id
        ).order_by("-id")

    @classmethod
    def for_contract(cls, contract, data=None, *, center_id, vendor=None):
        if contract is None:
            initial = {"vendor": vendor.pk} if vendor else {}
            return cls(data, initial=initial, center_id=center_id)
        return cls(data, initial=cls.initial_from(contract, cls.FIELDS), center_id=center_id)


class StaffForm(VendorsForm):
    name = forms.CharField(label=_("姓名"), max_length=40)
    post = forms.CharField(label=_("岗位"), max_length=40)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    screening = forms.ChoiceField(
        label=_("政审/背景审查"), choices=VendorStaff.Screening.choices, initial="pending"
    )
    health_cert_no = forms.CharField(label=_("健康证号"), max_length=40, required=False)
    health_cert_expiry = date_field(_("健康证有效期至"), required=False)
    start_date = date_field(_("上岗日期"), required=False)
    end_date = date_field(_("离岗日期"), required=False)

    FIELDS = (
        "name",
        "post",
        "phone",
        "screening",
        "health_cert_no",
        "health_cert_expiry",
        "start_date",
        "end_date",
    )

    @classmethod
    def for_staff(cls, staff, data=None):
        if staff is None:
            return cls(data)
        return cls(data, initial=cls.initial_from(staff, cls.FIELDS))


class LeaveForm(VendorsForm):
    end_date = date_field(_("离岗日期"))
