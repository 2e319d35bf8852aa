"""Limits on the files a customer sends with a complaint (portal form; same size limit as email intake)."""

from odoo.tools import format_list
from odoo.tools.mimetypes import guess_mimetype

from ..models.crm_complaint import DEFAULT_ATTACHMENT_MAX_MB

MAX_SIZE_PARAM = "crm_complaints.attachment_max_size_mb"
# Photos and scans: the type is read from the file's content, never from its name or the browser's claim.
# SVG is left out on purpose (it can carry scripts).
ALLOWED_MIMETYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/heic",
    "image/heif",
    "application/pdf",
)


def get_max_size_mb(env):
    """The largest file a customer may send, in MB (system parameter ``crm_complaints.attachment_max_size_mb``,
    25 when unset or not a positive whole number)."""
    value = env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM, DEFAULT_ATTACHMENT_MAX_MB)
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_ATTACHMENT_MAX_MB
    return size if size > 0 else DEFAULT_ATTACHMENT_MAX_MB


def check_attachments(env, files):
    """Validate uploaded files before anything is stored.

    :param env: the customer's environment (messages come in their language)
    :param files: ``(filename, content bytes)`` pairs; pairs without name and content (an empty file input) are
        skipped
    :return: ``(attachments, error)``: the ``(filename, content)`` pairs to store, and ``False`` or one translated
        message naming every refused file (too big: above :func:`get_max_size_mb`; wrong type: not in
        ``ALLOWED_MIMETYPES``). When there is an error nothing should be stored.
    """
    limit_mb = get_max_size_mb(env)
    attachments, too_big, wrong_type = [], [], []
    for filename, content in files:
        if not filename and not content:
            continue
        filename = filename or env._("unnamed file")
        if len(content) > limit_mb * 1024 * 1024:
            too_big.append(filename)
        elif guess_mimetype(content, default="application/octet-stream") not in ALLOWED_MIMETYPES:
            wrong_type.append(filename)
        else:
            attachments.append((filename, content))
    errors = []
    if too_big:
        errors.append(
            env._(
                "Larger than %(limit)s MB: %(files)s.",
                limit=limit_mb,
                files=format_list(env, too_big),
            )
        )
    if wrong_type:
        errors.append(
            env._(
                "Not a photo or a PDF: %(files)s. We accept JPEG, PNG, GIF, WebP, BMP and HEIC photos and PDF files.",
                files=format_list(env, wrong_type),
            )
        )
    if errors:
        errors.append(env._("Nothing was sent: please choose your files again."))
    return attachments, " ".join(errors) or False
