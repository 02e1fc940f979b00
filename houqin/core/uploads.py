"""Validation of uploaded images (photos of duty records, fault reports, incidents…).

Never trust the file name or the browser's content type: the bytes are opened with Pillow,
which must recognise one of the allowed formats and verify the file. Refusals are Chinese
ValidationErrors naming the file, so a form can show them next to the field:

    from houqin.core.uploads import validate_image
    fmt = validate_image(request.FILES["photo"])              # "JPEG" | "PNG" | "WEBP"
    validate_image(upload, max_bytes=2 * 1024 * 1024, allowed_formats=("JPEG",))
"""

import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 5 * MB
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
# Larger images are refused before decoding (decompression bombs): 40 megapixels is far
# above any phone camera.
MAX_PIXELS = 40_000_000


def _size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{max(size, 1) / 1024:.0f} KB"


def validate_image(
    uploaded_file, *, max_bytes: int = DEFAULT_MAX_BYTES, allowed_formats=ALLOWED_FORMATS
) -> str:
    """Check that `uploaded_file` is a JPEG/PNG/WebP image no larger than `max_bytes`.

    Returns Pillow's format name ("JPEG", "PNG", "WEBP"); raises ValidationError (Chinese)
    otherwise. The file is left positioned at its start, ready to be saved.
    """
    name = getattr(uploaded_file, "name", "") or _("图片")
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
    allowed_names = "、".join(FORMAT_NAMES.get(f, f) for f in allowed_formats)
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("图片“%(name)s”过大（%(size)s），上限为 %(limit)s。")
            % {"name": name, "size": _size_text(size), "limit": _size_text(max_bytes)},
            code="too_large",
        )
    not_image = ValidationError(
        _("“%(name)s”不是有效的图片文件，请上传 %(formats)s 格式的照片。")
        % {"name": name, "formats": allowed_names},
        code="not_image",
    )
    try:
        uploaded_file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:
                fmt = image.format
                width, height = image.size
                if fmt in allowed_formats and width * height <= MAX_PIXELS:
                    image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_image from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise not_image from None
    finally:
        uploaded_file.seek(0)
    if fmt not in allowed_formats:
        raise ValidationError(
            _("不支持 %(format)s 格式的图片“%(name)s”，请上传 %(formats)s 格式的照片。")
            % {"format": fmt or _("未知"), "name": name, "formats": allowed_names},
            code="format",
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("图片“%(name)s”像素过大（%(w)d×%(h)d），请压缩后再上传。")
            % {"name": name, "w": width, "h": height},
            code="too_many_pixels",
        )
    return fmt
