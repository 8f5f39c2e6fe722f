"""Validation of campaign inputs: each problem named by its field, all collected at once."""

from __future__ import annotations

from datetime import date

import pytest

from juntos.campaigns.models import (
    CallToActionInput,
    CampaignInput,
    CommitmentInput,
    MilestoneInput,
    is_overdue,
)
from juntos.errors import ValidationError


def test_a_valid_campaign_gets_a_slug_from_its_title_and_clean_lists() -> None:
    data = CampaignInput.validated(title="  Saúde para Todos 2027 ", themes="Health, health",
                                   countries="mz, za", start_date="2027-01-01",
                                   end_date="2027-06-30", status="planning")
    assert data.slug == "saude-para-todos-2027"
    assert data.themes == ["health"]
    assert data.countries == ["MZ", "ZA"]


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        CampaignInput.validated(title="", slug="Bad Slug", countries="MZ, XX",
                                start_date="2027-02-30", status="someday",
                                visibility="secret")
    assert set(err.value.errors) == {"title", "slug", "countries", "start_date", "status",
                                     "visibility"}
    assert "XX" in err.value.errors["countries"]


def test_dates_out_of_order_are_named_on_the_end_date() -> None:
    with pytest.raises(ValidationError) as err:
        CampaignInput.validated(title="Autumn", start_date="2027-10-01", end_date="2027-09-01")
    assert err.value.errors == {"end_date": "The end date is before the start date."}
    with pytest.raises(ValidationError) as err:
        CallToActionInput.validated(title="Day", start_date="2027-03-08", end_date="2027-03-01")
    assert set(err.value.errors) == {"end_date"}


def test_a_call_to_action_needs_a_date_and_defaults_its_end_to_its_start() -> None:
    with pytest.raises(ValidationError) as err:
        CallToActionInput.validated(title="Day", start_date="")
    assert set(err.value.errors) == {"start_date"}
    call = CallToActionInput.validated(title="Day", start_date="2027-03-08")
    assert call.end_date == "2027-03-08"


def test_commitment_and_milestone_inputs() -> None:
    with pytest.raises(ValidationError) as err:
        CommitmentInput.validated(organisation_id="", title="", due_date="soon", status="maybe")
    assert set(err.value.errors) == {"organisation_id", "title", "due_date", "status"}
    ok = CommitmentInput.validated(organisation_id="3", workstream_id="", title="Brief",
                                   due_date="2026-11-01")
    assert (ok.organisation_id, ok.workstream_id) == (3, None)
    with pytest.raises(ValidationError) as err:
        MilestoneInput.validated(title="Launch", date="")
    assert set(err.value.errors) == {"date"}


def test_overdue_means_open_and_past_due() -> None:
    today = date(2026, 11, 23)
    assert is_overdue({"status": "open", "due_date": "2026-11-22"}, today)
    assert is_overdue({"status": "in_progress", "due_date": "2026-01-01"}, today)
    assert not is_overdue({"status": "done", "due_date": "2026-11-22"}, today)
    assert not is_overdue({"status": "open", "due_date": "2026-11-23"}, today)
    assert not is_overdue({"status": "open", "due_date": None}, today)
