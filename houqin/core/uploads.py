"""Validation of uploaded images (photos of duty records, fault reports, incidents…).

Never trust the file name or the browser's content type: the bytes are opened with Pillow,
which must recognise one of the allowed formats and verify the file. Refusals are Chinese
ValidationErrors naming the file, so a form can show them next to the field:

    from houqin.core.uploads import validate_image
    fmt = validate_image(request.FILES["photo"])              # "JPEG" | "PNG" | "WEBP"
    validate_image(upload, max_bytes=2 * 1024 * 1024, allowed_formats=("JPEG",))

Documents (PDF, scans, drawings) are checked the same way by validate_document: allowed
extension, size, and bytes that match the extension.
"""

import mimetypes
import warnings
from pathlib import Path

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


# --------------------------------------------------------------------------- documents

DEFAULT_DOCUMENT_MAX_BYTES = 20 * MB
# extension → what the bytes must start with (None: an image, checked by validate_image).
DOCUMENT_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": None,
    ".jpg": None,
    ".jpeg": None,
    ".dwg": (b"AC10",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
IMAGE_EXT_FORMATS = {".png": ("PNG",), ".jpg": ("JPEG",), ".jpeg": ("JPEG",)}
# Scanned papers: certificates, filing receipts, signed contracts.
SCAN_TYPES = (".pdf", ".png", ".jpg", ".jpeg")


def file_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def _limit_text(max_bytes: int) -> str:
    # "20 MB" rather than "20.0 MB" for the round limits every caller uses.
    if max_bytes % MB == 0:
        return f"{max_bytes // MB} MB"
    return _size_text(max_bytes)


def _type_names(types) -> str:
    names = {".jpeg": "JPG"}
    return "、".join(dict.fromkeys(names.get(ext, ext[1:].upper()) for ext in types))


def validate_document(
    upload, *, types=tuple(DOCUMENT_MAGIC), max_bytes: int = DEFAULT_DOCUMENT_MAX_BYTES
) -> str:
    """Check an uploaded document: its extension is one of `types` (".pdf", ".png"…, each
    known to DOCUMENT_MAGIC), it is not empty, not larger than `max_bytes`, and its bytes
    match its extension (a renamed .exe is refused). Returns the lower-case extension;
    raises a Chinese ValidationError otherwise. The file is left at its start.

        validate_document(request.FILES["file"], types=SCAN_TYPES)
    """
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"), code="required")
    name = getattr(upload, "name", "") or _("文件")
    ext = Path(name).suffix.lower()
    if ext not in types or ext not in DOCUMENT_MAGIC:
        raise ValidationError(
            _("不支持“%(n)s”的文件类型，仅限 %(t)s。") % {"n": name, "t": _type_names(types)},
            code="type",
        )
    size = file_size(upload)
    if size == 0:
        raise ValidationError(_("“%(n)s”是空文件。") % {"n": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("文件“%(n)s”过大（%(s).1f MB），上限为 %(l)s。")
            % {"n": name, "s": size / MB, "l": _limit_text(max_bytes)},
            code="too_large",
        )
    magic = DOCUMENT_MAGIC[ext]
    if magic is None:
        validate_image(upload, max_bytes=max_bytes, allowed_formats=IMAGE_EXT_FORMATS[ext])
        return ext
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(magic):
        raise ValidationError(
            _("“%(n)s”的内容与文件类型不符，请上传有效的 %(t)s 文件。")
            % {"n": name, "t": ext[1:].upper()},
            code="content",
        )
    return ext


def serve_file(field_file, *, filename=None, attachment=False):
    """A stored upload as a response, for a view that has already checked access (uploads
    are never public media URLs). Missing files are 404; the browser may cache it privately
    and must not guess another type. `filename` (without extension) names the download; the
    stored file's extension is kept."""
    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    ext = Path(field_file.name).suffix.lower()
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=attachment,
        filename=f"{filename}{ext}" if filename else Path(field_file.name).name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def upload_to(prefix, filename):
    """<prefix>/YYYY/MM/<random>.<ext>: the user's file name never reaches the storage path."""
    import uuid

    from django.utils import timezone

    ext = Path(filename).suffix.lower()[:8] or ".bin"
    now = timezone.localtime()
    return f"{prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"
