"""Build xlsx uploads for import tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from houqin.org.importing import PERSON_COLUMNS

HEADERS = [c.header for c in PERSON_COLUMNS]


def xlsx_upload(rows, headers=HEADERS, name="people.xlsx", tweak=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if tweak:
        tweak(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def person_row(name, agency, phone, **kw):
    values = {
        "姓名": name,
        "性别": "男",
        "所在单位": agency,
        "股室": "",
        "职级": "",
        "职务": "",
        "用工性质": "在编",
        "手机号码": phone,
        "身份证号": "",
        "备注": "",
    }
    values.update(kw)
    return [values[h] for h in HEADERS]
