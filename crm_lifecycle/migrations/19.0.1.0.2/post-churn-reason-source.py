"""Stage history lines given a churn reason before churn reasons had a source were all given it by Mark as Lost."""


def migrate(cr, version):
    cr.execute(
        """UPDATE crm_lifecycle_history SET churn_reason_source = 'lost'
            WHERE churn_reason_id IS NOT NULL AND churn_reason_source IS NULL"""
    )
