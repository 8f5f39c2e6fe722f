"""Themes shown in the reader's language: the network's shared vocabulary of themes.

Themes are stored as typed (in English for the shipped catalogue, the demo and most partners);
the ones of the shared vocabulary have a translation, any other theme is shown as typed.
"""

from __future__ import annotations

from juntos.web.i18n import N_, gettext

#: The themes of the shipped catalogue, the international days and the network's organisations
#: and campaigns, by their lower-case form.
THEMES = {t.lower(): t for t in (
    N_("accountability"), N_("advocacy"), N_("agriculture"), N_("animal protection"),
    N_("anti-corruption"), N_("anti-militarism"), N_("children's rights"), N_("civil rights"),
    N_("civil society"), N_("climate"), N_("colonialism"), N_("community development"),
    N_("conflict resolution"), N_("consumer rights"), N_("corporate accountability"),
    N_("corruption"), N_("culture"), N_("democracy"), N_("development"),
    N_("discrimination"), N_("economic justice"), N_("economic power"), N_("economy"),
    N_("education"), N_("elections"), N_("employment"), N_("environment"), N_("equality"),
    N_("evictions"), N_("faith"), N_("forced labour"), N_("foreign policy"), N_("forests"),
    N_("freedom of assembly"), N_("freedom of association"), N_("freedom of expression"),
    N_("gender"), N_("governance"), N_("health"), N_("housing"), N_("human rights"),
    N_("humanitarian aid"), N_("identity"), N_("independence"), N_("indigenous rights"),
    N_("industrial relations"), N_("international solidarity"), N_("justice"), N_("labour"),
    N_("labour rights"), N_("land rights"), N_("local economy"), N_("local government"),
    N_("media"), N_("memory"), N_("migrants"), N_("migration"), N_("natural resources"),
    N_("occupation"), N_("peace"), N_("policy"), N_("political prisoners"),
    N_("prison conditions"), N_("protection"), N_("public services"), N_("public space"),
    N_("racial justice"), N_("refugees"), N_("religion"), N_("religious freedom"),
    N_("remembrance"), N_("rule of law"), N_("rural development"), N_("sanctions"),
    N_("security"), N_("self-determination"), N_("social inclusion"), N_("solidarity"),
    N_("sport"), N_("taxation"), N_("trade"), N_("transparency"), N_("transport"),
    N_("women's rights"), N_("workers"), N_("workplace rights"),
    # the international days' themes (juntos/calendar/data/international_days.csv)
    N_("GBV"), N_("HIV"), N_("LGBTI rights"), N_("SRHR"), N_("WASH"), N_("accessibility"),
    N_("anti-discrimination"), N_("anti-racism"), N_("biodiversity"), N_("care work"),
    N_("children"), N_("cities"), N_("civic space"), N_("conflict"), N_("cooperatives"),
    N_("death penalty"), N_("disability"), N_("disability rights"), N_("disarmament"),
    N_("disasters"), N_("enforced disappearance"), N_("families"), N_("food"),
    N_("freedom of religion"), N_("freedom of religion or belief"), N_("gender equality"),
    N_("genocide prevention"), N_("genocide remembrance"), N_("girls"), N_("girls' rights"),
    N_("human rights (UDHR anniversary)"), N_("human rights defenders"), N_("human trafficking"),
    N_("hunger"), N_("indigenous peoples' rights"), N_("international justice"), N_("land"),
    N_("language rights"), N_("migrants' rights"), N_("nonviolence"), N_("older persons"),
    N_("pan-African unity"), N_("peace (Gandhi's birthday)"), N_("population"), N_("poverty"),
    N_("press freedom"), N_("right to information"), N_("sanitation"), N_("social policy"),
    N_("torture"), N_("trafficking"), N_("transitional justice"), N_("violence"),
    N_("volunteering"), N_("water"), N_("women's health"), N_("workers' rights"), N_("youth"),
)}


def theme_label(theme: str) -> str:
    """A theme in the reader's language when it is one of the vocabulary's; else as typed."""
    known = THEMES.get(theme.strip().lower())
    return gettext(known) if known else theme


#: The workstreams a new campaign starts with (juntos.campaigns.models.DEFAULT_WORKSTREAMS).
WORKSTREAMS = {w: w for w in (
    N_("research"), N_("messaging"), N_("social media"), N_("media relations"),
    N_("mobilisation"), N_("lobbying"), N_("fundraising"), N_("monitoring and evaluation"),
)}
#: The network map's tie kinds (juntos.network_map.models.TIE_KINDS).
TIE_KINDS = {k: k for k in (
    N_("member of"), N_("partner"), N_("funds"), N_("influences"), N_("targets"),
    N_("opposes"), N_("communicates with"),
)}


def workstream_label(name: str) -> str:
    """A default workstream in the reader's language; one a campaign named itself as typed."""
    known = WORKSTREAMS.get(name.strip().lower())
    return gettext(known) if known else name


def tie_kind_label(kind: str) -> str:
    """A tie kind of the shared list in the reader's language; an imported one as it is."""
    known = TIE_KINDS.get(kind.strip().lower())
    return gettext(known) if known else kind


#: The subclasses of the classic methods' classification (the shipped catalogue's), by their
#: stored English form; any other subclass is shown as typed.
SUBCLASSES = {c: c for c in (
    N_("Formal statements"), N_("Communications with a wider audience"),
    N_("Group representations"), N_("Symbolic public acts"), N_("Pressures on individuals"),
    N_("Drama and music"), N_("Processions"), N_("Honoring the dead"),
    N_("Public assemblies"), N_("Withdrawal and renunciation"), N_("Ostracism of persons"),
    N_("Noncooperation with social events, customs, and institutions"),
    N_("Withdrawal from the social system"), N_("Action by consumers"),
    N_("Action by workers and producers"), N_("Action by middlemen"),
    N_("Action by owners and management"), N_("Action by holders of financial resources"),
    N_("Action by governments"), N_("Symbolic strikes"), N_("Agricultural strikes"),
    N_("Strikes by special groups"), N_("Ordinary industrial strikes"),
    N_("Restricted strikes"), N_("Multi-industry strikes"),
    N_("Combination of strikes and economic closures"), N_("Rejection of authority"),
    N_("Citizens' noncooperation with government"),
    N_("Citizens' alternatives to obedience"), N_("Action by government personnel"),
    N_("Domestic governmental action"), N_("International governmental action"),
    N_("Psychological intervention"), N_("Physical intervention"), N_("Social intervention"),
    N_("Economic intervention"), N_("Political intervention"),
)}


def subclass_label(subclass: str) -> str:
    """A method's subclass in the reader's language when it is the classification's."""
    known = SUBCLASSES.get(subclass.strip())
    return gettext(known) if known else subclass
