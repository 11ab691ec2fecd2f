"""QR codes (segno, pure Python): a certificate's verification address, a calendar link.

Core, below every feature: any page or document may show one."""

import io

import segno


def png(data: str, scale: int = 8) -> bytes:
    """A QR code of `data` as PNG bytes (error correction M, a quiet zone of 2 modules)."""
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def svg(data: str, scale: int = 4) -> str:
    """A QR code of `data` as an SVG document (text), e.g. to show beside a link on a page."""
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="svg", scale=scale, border=2, xmldecl=False)
    return out.getvalue().decode()
