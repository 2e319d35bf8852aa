"""CRM Care's one language rule for what is written FOR a customer.

Texts a customer reads (a coupon's or gift card's history line, a credit note's reference and line, a points
history line of their membership card) are written in the customer's language, never in the language of the
user or the scheduled job that happens to create them: the contact's own language (``res.partner.lang``),
else their company's (commercial entity), else the language of the company that writes to them, else
English. Mail and SMS templates say the same with their ``lang`` field (``{{ object.lang }}``,
``{{ object.partner_id.lang }}``).
"""


def customer_lang(partner, company=None):
    """The language code (str, e.g. "zh_CN") in which to write for `partner` (a res.partner record, may be
    empty), `company` (res.company, may be empty) being the company that writes to them."""
    return partner.lang or partner.commercial_partner_id.lang or (company and company.partner_id.lang) or "en_US"


def customer_env(record, partner, company=None):
    """`record` (any recordset) in the language of `partner` (see `customer_lang`): its ``env._`` and its
    translated fields read in that language."""
    return record.with_context(lang=customer_lang(partner, company))
