"""Limits on the files a customer sends with a complaint, the same for the portal form and email intake."""

from odoo.tools import format_list
from odoo.tools.mimetypes import guess_mimetype

MAX_SIZE_PARAM = "crm_complaints.attachment_max_size_mb"
DEFAULT_ATTACHMENT_MAX_MB = 25
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


def sort_attachments(env, files, check_type=True):
    """Sort files into those a customer may send and those refused.

    :param files: ``(filename, content bytes)`` pairs (or longer tuples, as the mail gateway gives; the first two
        items are read); pairs without name and content are skipped
    :param check_type: also refuse files whose content is not in ``ALLOWED_MIMETYPES``
    :return: ``(accepted, too_big, wrong_type)``: the accepted items as given, and the names of the files above
        :func:`get_max_size_mb` and of those of a refused type
    """
    limit = get_max_size_mb(env) * 1024 * 1024
    accepted, too_big, wrong_type = [], [], []
    for item in files:
        filename, content = item[0], item[1] or b""
        if not filename and not content:
            continue
        filename = filename or env._("unnamed file")
        if len(content) > limit:
            too_big.append(filename)
        elif check_type and guess_mimetype(content, default="application/octet-stream") not in ALLOWED_MIMETYPES:
            wrong_type.append(filename)
        else:
            accepted.append(item if item[0] else (filename, *item[1:]))
    return accepted, too_big, wrong_type


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
    attachments, too_big, wrong_type = sort_attachments(env, files)
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
