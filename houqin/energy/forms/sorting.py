"""Forms of garbage-sorting sites, inspections and collected weights. They parse input only;
the rules (demonstration sites need their recognition date, correct ≤ checked, the photo is
an image, at least one weight…) are in services/sorting.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import GarbageCollection, SortingSite
from .projects import EnergyForm, choices, date_field, institution_field, institutions, textarea


class SiteForm(EnergyForm):
    name = forms.CharField(label=_("点位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("单位类型"), choices=choices(SortingSite.Kind))
    institution = institution_field(_("公共机构"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    bins = forms.IntegerField(
        label=_("分类投放点（组）"),
        min_value=1,
        max_value=9999,
        initial=1,
        help_text=_("四分类垃圾桶按一组计。"),
    )
    started_on = date_field(_("开展分类日期"), required=False)
    is_demonstration = forms.BooleanField(label=_("示范点"), required=False)
    demonstration_level = forms.CharField(
        label=_("示范级别"),
        max_length=20,
        required=False,
        help_text=_("如：市级、区级。"),
    )
    recognized_on = date_field(_("认定日期"), required=False, help_text=_("示范点必填。"))
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    FIELDS = (
        "name",
        "kind",
        "institution",
        "address",
        "bins",
        "started_on",
        "is_demonstration",
        "demonstration_level",
        "recognized_on",
        "is_active",
    )

    def __init__(self, *args, center_id, site=None, **kwargs):
        if site is not None:
            initial = {name: getattr(site, name) for name in self.FIELDS}
            initial["institution"] = site.institution_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions(
            center_id, site.institution_id if site is not None else None
        )


class InspectionForm(EnergyForm):
    date = date_field(_("检查日期"))
    bins_checked = forms.IntegerField(label=_("检查桶数"), min_value=0, max_value=9999)
    bins_correct = forms.IntegerField(label=_("分类正确桶数"), min_value=0, max_value=9999)
    problems = textarea(_("发现问题"), 2000)
    photo = forms.FileField(
        label=_("照片"),
        required=False,
        help_text=_("可选，JPEG、PNG 或 WebP 格式，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CollectionForm(EnergyForm):
    date = date_field(_("日期"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        for field in GarbageCollection.WEIGHT_FIELDS.values():
            self.fields[field] = forms.DecimalField(
                label=GarbageCollection._meta.get_field(field).verbose_name,
                required=False,
                min_value=0,
                max_digits=9,
                decimal_places=2,
            )

    def weights(self):
        return {
            field: self.cleaned_data.get(field)
            for field in GarbageCollection.WEIGHT_FIELDS.values()
        }
