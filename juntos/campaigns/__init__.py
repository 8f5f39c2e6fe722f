"""Campaigns: joint campaigns, partners, responsibilities, commitments and calls to action.

The hub other areas link to. Modules, all free of HTTP:

- ``models``: inputs and their validation (pydantic: ``CampaignInput``, ``CommitmentInput``,
  ``CallToActionInput``, ``MilestoneInput``), statuses, roles, RACI letters.
- ``store``: ``get(db, slug)``, ``search(db, CampaignFilter(...), user=...)``,
  ``visible_campaigns``, ``campaigns_of_organisation``, ``partners``.
- ``matrix``: workstreams and the RACI matrix.
- ``schedule``: commitments (``my_commitments``), calls to action, milestones, ``dated_items``
  (stable ids for calendar UIDs).
- ``visibility``: ``can_view``, ``is_lead``, ``get_visible`` (``NotFound`` for what a user may
  not see) and the policy actions ``campaign.*`` / ``commitment.update``.
- ``planning``: international days matching a campaign's themes and period.
- ``export``: the campaign as the page shows it, as JSON, Markdown or plain text.
- ``activity``: the per-campaign log of who changed what, when.
"""
