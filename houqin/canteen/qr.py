"""QR codes of meal orders (segno, SVG: no image library, no external service).

The code carries "HQMEAL:" + the order's pickup token; the counter (and the device API) accept
that text as typed by a USB scanner, or the 6-digit pickup code of the current meal.
"""

import io

import segno

PREFIX = "HQMEAL:"


def pickup_payload(order) -> str:
    return PREFIX + order.pickup_token


def qr_svg(data: str, *, scale: int = 8, title: str = "") -> bytes:
    """An SVG QR code of `data` (error correction M, white quiet zone)."""
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=3,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title=title or None,
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue()


def order_qr_svg(order) -> bytes:
    return qr_svg(pickup_payload(order), title=f"取餐码 {order.pickup_code}")
