"""The demo coalition: a Mozambican forum, six networks of about forty members each, and a
Danish NGO with partners in six African countries. Invented names, generated from a fixed
seed so that loading twice gives the same rows (upserts by slug)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime

from juntos.accounts import store as accounts
from juntos.db import Database
from juntos.errors import NotFound
from juntos.organisations import store
from juntos.organisations.models import OrganisationInput
from juntos.validation import slugify

THEMES = [
    "health", "education", "women's rights", "children's rights",
    "advocacy", "climate", "land rights", "labour",
]

MZ_PLACES = [
    ("Maputo", "Maputo City"), ("Matola", "Maputo Province"), ("Beira", "Sofala"),
    ("Nampula", "Nampula"), ("Quelimane", "Zambézia"), ("Tete", "Tete"),
    ("Chimoio", "Manica"), ("Pemba", "Cabo Delgado"), ("Lichinga", "Niassa"),
    ("Inhambane", "Inhambane"), ("Xai-Xai", "Gaza"),
]

FORUM = dict(
    slug="forum-juntos-mz", name="Fórum Juntos de Organizações da Sociedade Civil",
    acronym="FJOSC", kind="network", country="MZ", region="Southern Africa", city="Maputo",
    timezone="Africa/Maputo", languages=["pt", "en"], themes=["advocacy", "health", "education"],
    website="https://forum-juntos.example.org",
    description="A national forum where Mozambican civil-society organisations and networks "
    "agree joint positions and coordinate advocacy.",
    is_public=True,
)

# The six networks in the forum, with the themes their members share.
NETWORKS = [
    ("rede-saude-mz", "Rede Moçambicana para o Direito à Saúde", "REMODISA", ["health", "advocacy"]),
    ("rede-mulher-mz", "Rede Mulher e Desenvolvimento", "REMUDE", ["women's rights", "labour"]),
    ("rede-crianca-mz", "Coligação pelos Direitos da Criança", "CODIC", ["children's rights", "education"]),
    ("rede-terra-mz", "Plataforma Terra e Comunidades", "PLATERRA", ["land rights", "climate"]),
    ("rede-educacao-mz", "Movimento Educação para Todos Moçambique", "METMO", ["education", "advocacy"]),
    ("rede-clima-mz", "Aliança Clima Justo", "ACJ", ["climate", "land rights"]),
]

OTHER_FORUM_MEMBERS = [
    ("uni-eduardo-estudos", "Centro de Estudos Sociais Aplicados", "CESA", "university", ["education", "advocacy"]),
    ("uni-zambeze-direitos", "Observatório de Direitos Humanos da Universidade do Norte", "ODH-UN", "university", ["advocacy", "land rights"]),
    ("fundacao-comunidade", "Fundação para o Desenvolvimento Comunitário Kukula", "FDCK", "foundation", ["health", "education"]),
    ("fundacao-mbeu", "Fundação Mbeu para a Juventude", "FMJ", "foundation", ["children's rights", "education"]),
    ("sponsor-horizonte", "Fundação Horizonte Solidário", "FHS", "funder", ["health", "women's rights"]),
    ("sponsor-ponte", "Fundo Ponte para a Sociedade Civil", "FPSC", "funder", ["advocacy", "climate"]),
    ("cso-justica-ambiental", "Justiça Ambiental Comunitária", "JAC", "cso", ["climate", "land rights"]),
    ("cso-orcamento-cidadao", "Observatório do Orçamento Cidadão", "OOC", "cso", ["advocacy", "health"]),
    ("cso-mulher-lei", "Mulher, Lei e Desenvolvimento Moçambique", "MULEIDE-J", "cso", ["women's rights", "advocacy"]),
    ("cso-trabalhadores", "Associação dos Trabalhadores Domésticos Unidos", "ATDU", "cso", ["labour", "women's rights"]),
    ("cso-radio-comunitaria", "Fórum das Rádios Comunitárias", "FORCOM-J", "media", ["advocacy", "education"]),
    ("cso-juventude-activa", "Juventude Activa pela Cidadania", "JAC-J", "cso", ["children's rights", "advocacy"]),
    ("cso-saude-rural", "Associação Saúde Rural Primeiro", "ASRP", "cso", ["health"]),
    ("cso-professores", "Sindicato Nacional dos Professores Unidos", "SNPU", "cso", ["education", "labour"]),
]

DANISH_NGO = dict(
    slug="samvirke-dk", name="Samvirke for Global Retfærdighed", acronym="SGR", kind="cso",
    country="DK", region="Nordic", city="Copenhagen", timezone="Europe/Copenhagen",
    languages=["da", "en"], themes=["advocacy", "climate", "women's rights", "labour"],
    website="https://samvirke.example.org",
    description="A Danish NGO that plans joint campaigns with partners in Southern and "
    "Eastern Africa.",
    is_public=True,
)

# Partners of the Danish NGO: (slug, name, acronym, country, region, city, zone, languages, themes)
#: Partners that name their territory otherwise than ISO 3166 does (SO is "Somalia").
TERRITORIES = {"so-hargeisa-voices": "Somaliland"}

PARTNERS = [
    ("mz-accao-cidada", "Acção Cidadã Moçambique", "ACM", "MZ", "Southern Africa", "Maputo", "Africa/Maputo", ["pt"], ["advocacy", "health"]),
    ("so-hargeisa-voices", "Hargeisa Voices for Accountability", "HVA", "SO", "Somaliland", "Hargeisa", "Africa/Mogadishu", ["so", "en"], ["advocacy", "women's rights"]),
    ("za-ubuntu-labour", "Ubuntu Labour Rights Centre", "ULRC", "ZA", "Southern Africa", "Johannesburg", "Africa/Johannesburg", ["en", "zu"], ["labour", "advocacy"]),
    ("sz-lutsango-women", "Lutsango Women's Justice Network", "LWJN", "SZ", "Southern Africa", "Mbabane", "Africa/Mbabane", ["en", "ss"], ["women's rights", "health"]),
    ("ug-land-alliance", "Uganda Community Land Alliance", "UCLA", "UG", "East Africa", "Kampala", "Africa/Kampala", ["en", "sw"], ["land rights", "climate"]),
    ("zw-youth-climate", "Zimbabwe Youth Climate Collective", "ZYCC", "ZW", "Southern Africa", "Harare", "Africa/Harare", ["en", "sn"], ["climate", "children's rights"]),
    ("dk-klima-unge", "Klimaunge Danmark", "KUD", "DK", "Nordic", "Aarhus", "Europe/Copenhagen", ["da", "en"], ["climate", "education"]),
]

_PREFIXES = [
    "Associação", "Movimento", "Grupo Comunitário", "Centro", "Iniciativa", "Núcleo",
    "Rede Local", "Colectivo", "Organização", "Liga",
]
_FOCUS = {
    "health": ["para a Saúde", "de Activistas de Saúde", "Vida Saudável", "de Apoio aos Doentes Crónicos"],
    "advocacy": ["Cidadania Activa", "para a Boa Governação", "de Monitoria Social", "Voz do Povo"],
    "women's rights": ["de Mulheres", "Mulheres Unidas", "pela Igualdade de Género", "Mãos de Mulher"],
    "labour": ["dos Trabalhadores", "de Vendedores Informais", "Trabalho Digno", "de Camponeses"],
    "children's rights": ["pela Criança", "Futuro da Criança", "de Jovens", "Infância Protegida"],
    "education": ["para a Educação", "Escola para Todos", "de Alfabetização", "Saber é Poder"],
    "land rights": ["Terra Nossa", "de Comunidades Rurais", "pelos Direitos à Terra", "Machamba Viva"],
    "climate": ["Verde", "para o Ambiente", "Clima e Vida", "Mangal Vivo"],
}

COORDINATOR_EMAIL = "coordinator@demo.juntos.example"
MEMBER_EMAIL = "member@demo.juntos.example"
VIEWER_EMAIL = "viewer@demo.juntos.example"
PARTNER_EMAIL = "partner@demo.juntos.example"
DEMO_PASSWORD = "juntos-demo-2026"


def _network_members(rng: random.Random, themes: list[str],
                     count: int) -> Iterator[dict[str, object]]:
    seen: set[str] = set()
    while len(seen) < count:
        theme = rng.choice(themes)
        city, province = rng.choice(MZ_PLACES)
        name = f"{rng.choice(_PREFIXES)} {rng.choice(_FOCUS[theme])} de {city}"
        slug = slugify(name)
        if slug in seen:
            continue
        seen.add(slug)
        extra = rng.sample([t for t in THEMES if t not in themes], k=rng.randint(0, 1))
        yield dict(
            slug=slug, name=name, kind="cso", country="MZ", region=province, city=city,
            timezone="Africa/Maputo", languages=["pt"], themes=[*themes, *extra],
        )


def load(db: Database, *, now: datetime, progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Upsert the coalition; returns the number of organisations per group."""
    rng = random.Random(2026)
    ids: dict[str, int] = {}

    def put(values: dict[str, object]) -> int:
        org_id = store.upsert(db, OrganisationInput.validated(**values), now=now)
        ids[str(values["slug"])] = org_id
        progress(1)
        return org_id

    with db.atomic():
        forum = put(FORUM)
        for slug, name, acronym, themes in NETWORKS:
            network = put(dict(slug=slug, name=name, acronym=acronym, kind="network", country="MZ",
                               region="Maputo City", city="Maputo", timezone="Africa/Maputo",
                               languages=["pt"], themes=themes))
            store.add_membership(db, network, forum, "2019-03-01")
            for member in _network_members(rng, themes, 40):
                store.add_membership(db, put(member), network, "2021-01-01")
        for slug, name, acronym, kind, themes in OTHER_FORUM_MEMBERS:
            city, province = rng.choice(MZ_PLACES[:4])
            org = put(dict(slug=slug, name=name, acronym=acronym, kind=kind, country="MZ",
                           region=province, city=city, timezone="Africa/Maputo",
                           languages=["pt", "en"], themes=themes))
            store.add_membership(db, org, forum, "2020-06-01")
        danish = put(DANISH_NGO)
        for slug, name, acronym, country, region, city, tz, langs, themes in PARTNERS:
            put(dict(slug=slug, name=name, acronym=acronym, kind="cso", country=country,
                     region=region, city=city, timezone=tz, languages=langs, themes=themes,
                     territory=TERRITORIES.get(slug, "")))
        store.add_membership(db, ids["mz-accao-cidada"], forum, "2022-01-01")
    return {"organisations": len(ids), "forum": forum, "danish": danish}


def _ensure_user(db: Database, *, email: str, org: str, role: str, name: str,
                 now: datetime) -> None:
    try:
        accounts.get_by_email(db, email)
    except NotFound:
        accounts.create(db, email=email, password=DEMO_PASSWORD, org_slug=org,
                        role=role, name=name, now=now)


def load_with_users(db: Database, *, now: datetime) -> None:
    """The demo organisations and the three demo logins (coordinator, member, viewer)."""
    load(db, now=now)
    _ensure_user(db, email=COORDINATOR_EMAIL, org="forum-juntos-mz",
                 role="coordinator", name="Demo Coordinator", now=now)
    _ensure_user(db, email=MEMBER_EMAIL, org="samvirke-dk", role="member",
                 name="Demo Member", now=now)
    # A member of a partner organisation: it granted the autumn campaign a delegation.
    _ensure_user(db, email=PARTNER_EMAIL, org="za-ubuntu-labour", role="member",
                 name="Demo Partner", now=now)
    _ensure_user(db, email=VIEWER_EMAIL, org="mz-accao-cidada", role="viewer",
                 name="Demo Viewer", now=now)
