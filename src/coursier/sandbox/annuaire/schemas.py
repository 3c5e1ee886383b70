"""The bodies of the PPF's public directory API (PPF-DIR 1.11.0, `published/`), as published.

Each model restates one schema of the published file under its own name (`components.schemas`),
with the same properties, types, formats, patterns, lengths and required members;
`tests/sandbox/test_published_api.py` diffs the OpenAPI these models make against the file.
Field names are the API's own (French, camelCase). Patterns with lookaheads need Python's `re`.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model


class Published(BaseModel):
    model_config = ConfigDict(regex_engine="python-re")


class Closed(Published):
    """A schema with `additionalProperties: false`."""

    model_config = ConfigDict(regex_engine="python-re", extra="forbid")


# ---- values (components.schemas of one value) ---------------------------------------------------

Siren = Annotated[str, Field(max_length=9, pattern=r"^\d{9}$")]
Siret = Annotated[str, Field(max_length=14, pattern=r"^\d{14}$")]
IdInstance = int
Matricule = Annotated[str, Field(max_length=4, pattern=r"^\d{4}$")]  # immatPlateforme
MatriculeFilter = Annotated[str, Field(max_length=4, pattern=r"^(\d{4})?$")]  # immatPlateformeStrict
RoutingId = Annotated[str, Field(max_length=100, pattern=r"^(?!\s+$)[-_/@a-zA-Z0-9]{1,100}$")]  # identifiantRoutage
RoutingIdFilter = Annotated[str, Field(max_length=100, pattern=r"^(?!\s+$)[-_/@a-zA-Z0-9]{0,100}$")]
Suffix = Annotated[str, Field(max_length=100, pattern=r"^(?!\s+$)[-_.@a-zA-Z0-9]{1,100}$")]  # suffixeAdressage
SuffixFilter = Annotated[str, Field(max_length=100, pattern=r"^(?!\s+$)[-_.@a-zA-Z0-9]{0,100}$")]
AddressingId = Annotated[str, Field(max_length=125)]  # identifiantAdressage
LegalName = Annotated[str, Field(max_length=150)]  # raisonSocialeDestinataire
Denomination = Annotated[str, Field(max_length=100)]
CreatedBy = Annotated[str, Field(max_length=100)]  # creePar
RoutingType = Annotated[str, Field(max_length=4, pattern=r"^\d{4}$")]  # typeIdentifiantRoutage
RoutingLabel = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^(?!\s*$).+")]  # libelleCodeRoutage
Text100 = Annotated[str, Field(max_length=100)]
Text255 = Annotated[str, Field(max_length=255)]
Text600 = Annotated[str, Field(max_length=600)]
PostalCode = Annotated[str, Field(max_length=10)]
CountryCode = Annotated[str, Field(max_length=2)]
Limit = int  # limite
Skip = int  # ignorer


class EntityType(StrEnum):  # typeEntite
    public = "Publique"
    private = "Privée assujettie"


class UnitStatus(StrEnum):  # etatAdministratifUniteLegale: actif, cessé
    active = "A"
    ceased = "C"


class SiteStatus(StrEnum):  # etatAdministratifEtablissement, etatAdministratifCodeRoutage: actif, fermé
    active = "A"
    closed = "F"


class Diffusion(StrEnum):  # statutDiffusion
    yes = "O"
    partial = "P"
    no_prospecting = "M"


class SiteType(StrEnum):  # typeEtablissement: principal, secondaire
    principal = "P"
    secondary = "S"


class SiteNature(StrEnum):  # natureEtablissement
    private = "Privé"
    public = "Public"


class PlatformType(StrEnum):  # typePlateforme
    pdp = "PDP"
    ppf = "PPF"
    other = "AP"
    not_addressable = "NA"


class PlatformStatus(StrEnum):  # statutPlateforme
    active = "Actif"
    inactive = "Inactif"


class Order(StrEnum):  # ordre
    ascending = "ascendant"
    descending = "descendant"


class Strict(StrEnum):  # operateurStrict
    strict = "strict"


class Contains(StrEnum):  # operateurContient
    contains = "contient"


def _text_enum(name: str, values: list[str]) -> type[StrEnum]:
    return StrEnum(name, {value: value for value in values})


SirenField = _text_enum(
    "champSiren",
    [
        "siren",
        "raisonSociale",
        "typeEntite",
        "diffusible",
        "etatAdministratif",
        "dateDefinition",
        "dateDebutEffet",
        "masque",
        "idInstance",
        "creePar",
    ],
)
SiretField = _text_enum(
    "champSiret",
    [
        "siret",
        "siren",
        "denomination",
        "typeEtablissement",
        "adresse",
        "diffusible",
        "etatAdministratif",
        "moa",
        "moaUniquement",
        "gestionStatutMiseEnPaiement",
        "gestionEngagementJuridique",
        "gestionEngagementJuridiqueOuService",
        "gestionCodeService",
        "dateDefinition",
        "dateDebutEffet",
        "masque",
        "idInstance",
        "creePar",
    ],
)
RoutingCodeField = _text_enum(
    "champCodeRoutage",
    [
        "siret",
        "typeIdentifiantRoutage",
        "libelleCodeRoutage",
        "identifiantRoutage",
        "gestionEngagementJuridique",
        "etatAdministratif",
        "adresse",
        "dateDefinition",
        "dateDebutEffet",
        "masque",
        "idInstance",
        "creePar",
    ],
)
LineField = _text_enum(
    "champLigneAnnuaire",
    [
        "identifiantAdressage",
        "siren",
        "siret",
        "identifiantRoutage",
        "suffixeAdressage",
        "matriculePlateforme",
        "dateFinEffet",
        "dateFinEffective",
        "dateDefinition",
        "dateDebutEffet",
        "masque",
        "idInstance",
        "creePar",
    ],
)


# ---- shared objects ---------------------------------------------------------------------------


class Historisation(Published):  # historisationRead
    dateDefinition: datetime | None = None
    dateDebutEffet: date | None = None
    creePar: CreatedBy | None = None
    masque: bool | None = None
    idInstance: IdInstance | None = None


class AddressRead(Published):  # adresseRead
    ligneAdresse1: Text255 | None = None
    ligneAdresse2: Text255 | None = None
    ligneAdresse3: Text255 | None = None
    codePostal: PostalCode | None = None
    subDivisionPays: Text255 | None = None
    localite: Text100 | None = None
    codePays: CountryCode | None = None
    libellePays: Text100 | None = None


class AddressWrite(Published):  # adresseWrite
    ligneAdresse1: Text255 | None = None
    ligneAdresse2: Text255 | None = None
    ligneAdresse3: Text255 | None = None
    codePostal: PostalCode | None = None
    subDivisionPays: Text255 | None = None
    localite: Text100 | None = None
    codePays: CountryCode | None = None


class B2GData(Published):  # etablissementPayloadHistoUle_donneesB2gComplementaires
    moa: bool | None = None
    moaUniquement: bool | None = None
    gestionStatutMiseEnPaiement: bool | None = None
    gestionEngagementJuridique: bool | None = None
    gestionEngagementJuridiqueOuService: bool | None = None
    gestionCodeService: bool | None = None


class UnitIncluded(Published):  # uniteLegalePayloadIncluded
    siren: Siren | None = None
    raisonSociale: LegalName | None = None
    typeEntite: EntityType | None = None
    etatAdministratif: UnitStatus | None = None
    diffusible: Diffusion | None = None


class SiteIncluded(Published):  # etablissementPayloadIncluded
    siret: Siret | None = None
    siren: Siren | None = None
    denomination: Denomination | None = None
    typeEtablissement: SiteType | None = None
    diffusible: Diffusion | None = None
    etatAdministratif: SiteStatus | None = None
    adresse: AddressRead | None = None
    donneesB2gComplementaires: B2GData | None = None


# ---- search requests: filters {op, valeur}, sorts, fields, page ----------------------------------


def _filter(name: str, operator: type[StrEnum], value: Any) -> type[Published]:
    return create_model(name, __base__=Published, op=(operator | None, None), valeur=(value | None, None))


HistoryFilters = create_model(
    "searchSiren_filtres_historisation",
    __base__=Published,
    dateObservation=(_filter("filtreDateObservation", Strict, date) | None, None),
    dateDebutRecherche=(_filter("filtreDateDebutRecherche", Strict, date) | None, None),
    dateFinRecherche=(_filter("filtreDateFinRecherche", Strict, date) | None, None),
    creePar=(_filter("filtreCreePar", Contains, CreatedBy) | None, None),
    modeAudit=(_filter("filtreModeAudit", Strict, bool) | None, None),
)
SirenFilter = _filter("filtreSiren", Strict, Siren)
SiretFilter = _filter("filtreSiret", Strict, Siret)
AddressLinesFilter = _filter("filtreLignesAdresse", Contains, Text600)
PostalCodeFilter = _filter("filtreCodePostal", Contains, PostalCode)
LocalityFilter = _filter("filtreLocalite", Contains, Text100)
RoutingIdContainsFilter = _filter("filtreIdentifiantRoutage", Contains, RoutingIdFilter)


def _sort(name: str, field: type[StrEnum]) -> type[Published]:
    return create_model(name, __base__=Published, champ=(field | None, None), ordre=(Order | None, None))


class UnitSearchFilters(Published):  # searchSiren_filtres
    siren: SirenFilter | None = None
    raisonSociale: _filter("filtreRaisonSociale", Contains, LegalName) | None = None
    typeEntite: _filter("filtreTypeEntite", Strict, EntityType) | None = None
    etatAdministratif: _filter("filtreEtatUniteLegale", Strict, UnitStatus) | None = None
    historisation: HistoryFilters | None = None


class UnitSearch(Published):  # searchSiren
    filtres: UnitSearchFilters | None = None
    tris: list[_sort("searchSiren_tris_inner", SirenField)] | None = None
    champs: list[SirenField] | None = None
    limite: Limit | None = None
    ignorer: Skip | None = None


class SiteSearchFilters(Published):  # searchSiret_filtres
    siret: SiretFilter | None = None
    siren: SirenFilter | None = None
    typeEtablissement: _filter("filtreTypeEtablissement", Strict, SiteType) | None = None
    denomination: _filter("filtreDenomination", Contains, Denomination) | None = None
    lignesAdresse: AddressLinesFilter | None = None
    codePostal: PostalCodeFilter | None = None
    subDivisionPays: _filter("filtreSubDivisionPays", Contains, Text255) | None = None
    localite: LocalityFilter | None = None
    etatAdministratif: _filter("filtreEtatEtablissement", Strict, SiteStatus) | None = None
    historisation: HistoryFilters | None = None


class SiteSearch(Published):  # searchSiret
    filtres: SiteSearchFilters | None = None
    tris: list[_sort("searchSiret_tris_inner", SiretField)] | None = None
    champs: list[SiretField] | None = None
    inclure: list[_text_enum("inclureSiren", ["siren"])] | None = None
    limite: Limit | None = None
    ignorer: Skip | None = None


class RoutingCodeSearchFilters(Published):  # searchCodeRoutage_filtres
    identifiantRoutage: RoutingIdContainsFilter | None = None
    siret: SiretFilter | None = None
    libelleCodeRoutage: _filter("filtreLibelleCodeRoutage", Contains, Text100) | None = None
    etatAdministratif: _filter("filtreEtatCodeRoutage", Strict, SiteStatus) | None = None
    lignesAdresse: AddressLinesFilter | None = None
    codePostal: PostalCodeFilter | None = None
    localite: LocalityFilter | None = None
    historisation: HistoryFilters | None = None


class RoutingCodeSearch(Published):  # searchCodeRoutage
    filtres: RoutingCodeSearchFilters | None = None
    tris: list[_sort("searchCodeRoutage_tris_inner", RoutingCodeField)] | None = None
    champs: list[RoutingCodeField] | None = None
    inclure: list[_text_enum("inclureSirenSiret", ["siren", "siret"])] | None = None
    limite: Limit | None = None
    ignorer: Skip | None = None


class LineSearchFilters(Published):  # searchLigneAnnuaire_filtres
    identifiantAdressage: _filter("filtreIdentifiantAdressage", Contains, AddressingId) | None = None
    matriculePlateforme: _filter("filtreMatriculePlateforme", Strict, MatriculeFilter) | None = None
    siren: SirenFilter | None = None
    siret: SiretFilter | None = None
    identifiantRoutage: RoutingIdContainsFilter | None = None
    suffixeAdressage: _filter("filtreSuffixeAdressage", Strict, SuffixFilter) | None = None
    historisation: HistoryFilters | None = None


class LineSearch(Published):  # searchLigneAnnuaire
    filtres: LineSearchFilters | None = None
    tris: list[_sort("searchLigneAnnuaire_tris_inner", LineField)] | None = None
    champs: list[LineField] | None = None
    limite: Limit | None = None
    ignorer: Skip | None = None


# ---- legal units (SIREN) and establishments (SIRET) -----------------------------------------------


class Unit(Published):  # uniteLegalePayloadHisto
    siren: Siren | None = None
    raisonSociale: LegalName | None = None
    typeEntite: EntityType | None = None
    etatAdministratif: UnitStatus | None = None
    diffusible: Diffusion | None = None
    historisation: Historisation | None = None


class UnitResults(Published):  # _siren_recherche_post_200_response
    recherche: UnitSearch | None = None
    nombre_total_resultats: int | None = None
    resultats: list[Unit] | None = None


class Site(Published):  # etablissementPayloadHisto
    siret: Siret | None = None
    siren: Siren | None = None
    denomination: Denomination | None = None
    typeEtablissement: SiteType | None = None
    diffusible: Diffusion | None = None
    etatAdministratif: SiteStatus | None = None
    adresse: AddressRead | None = None
    historisation: Historisation | None = None
    donneesB2gComplementaires: B2GData | None = None


class SiteWithUnit(Site):  # etablissementPayloadHistoUle
    uniteLegale: UnitIncluded | None = None


class SiteResults(Published):  # _siret_recherche_post_200_response
    recherche: SiteSearch | None = None
    nombre_total_resultats: int | None = None
    resultats: list[SiteWithUnit] | None = None


# ---- routing codes -------------------------------------------------------------------------------


class RoutingCodeCreate(Closed):  # createCodeRoutageBody
    natureEtablissement: SiteNature
    identifiantRoutage: RoutingId
    siret: Siret
    typeIdentifiantRoutage: RoutingType | None = None
    libelleCodeRoutage: RoutingLabel
    gestionEngagementJuridique: bool | None = None
    etatAdministratif: SiteStatus
    adresse: AddressWrite | None = None


class RoutingCodeCreated(Published):  # _code_routage_post_201_response
    idInstance: IdInstance | None = None
    siret: Siret | None = None
    identifiantRoutage: RoutingId | None = None


class RoutingCode(Published):  # codeRoutagePayloadHisto
    identifiantRoutage: RoutingId | None = None
    siret: Siret | None = None
    typeIdentifiantRoutage: RoutingType | None = None
    libelleCodeRoutage: RoutingLabel | None = None
    gestionEngagementJuridique: bool | None = None
    etatAdministratif: SiteStatus | None = None
    adresse: AddressRead | None = None
    historisation: Historisation | None = None


class RoutingCodeWithUnitAndSite(RoutingCode):  # codeRoutagePayloadHistoUleEta
    uniteLegale: UnitIncluded | None = None
    etablissement: SiteIncluded | None = None


class RoutingCodeResults(Published):  # _code_routage_recherche_post_200_response
    recherche: RoutingCodeSearch | None = None
    nombre_total_resultats: int | None = None
    resultats: list[RoutingCodeWithUnitAndSite] | None = None


# ---- directory lines -----------------------------------------------------------------------------


class EffectPeriod(Published):  # createLigneAnnuaireBody_periodeEffet
    dateDebutEffet: date
    dateFinEffet: date | None = None


class AddressingInformation(Closed):  # createLigneAnnuaireBody_informationAdressage
    siren: Siren
    siret: Siret | None = None
    identifiantRoutage: RoutingId | None = None
    suffixeAdressage: Suffix | None = None
    matriculePlateforme: Matricule


class LineCreate(Published):  # createLigneAnnuaireBody
    periodeEffet: EffectPeriod | None = None
    informationAdressage: AddressingInformation | None = None


class LineWritten(Published):  # _ligne_annuaire_post_201_response
    idInstance: IdInstance | None = None
    identifiantAdressage: AddressingId | None = None
    dateDebutEffet: date | None = None


class LinePatch(Published):  # updatePatchLigneAnnuaireBody
    dateFinEffet: date | None = None
    matriculePlateforme: Matricule | None = None


class LinePut(Published):  # updatePutLigneAnnuaireBody
    dateFinEffet: date | None = None
    matriculePlateforme: Matricule


class Line(Published):  # ligneAnnuairePayloadHisto
    matriculePlateforme: Matricule | None = None
    identifiantRoutage: RoutingId | None = None
    identifiantAdressage: AddressingId | None = None
    siren: Siren | None = None
    siret: Siret | None = None
    suffixeAdressage: Suffix | None = None
    dateFinEffet: date | None = None
    dateFinEffective: date | None = None
    historisation: Historisation | None = None


class LineRoutingCode(Published):  # ligneAnnuairePayloadHistoUleEtaRou_codeRoutage
    identifiantRoutage: RoutingId | None = None
    typeIdentifiantRoutage: RoutingType | None = None
    libelleCodeRoutage: RoutingLabel | None = None
    gestionEngagementJuridique: bool | None = None
    etatAdministratif: SiteStatus | None = None
    adresse: AddressRead | None = None


class LinePlatform(Published):  # ligneAnnuairePayloadHistoUleEtaRou_plateforme
    typePlateforme: PlatformType | None = None
    matriculePlateforme: Matricule | None = None
    raisonSocialePlateforme: Text100 | None = None
    nomCommercialPlateforme: Text100 | None = None
    contactOuUrlPlateforme: Text100 | None = None
    statutPlateforme: PlatformStatus | None = None


class LineWithRelations(Line):  # ligneAnnuairePayloadHistoUleEtaRou
    codeRoutage: LineRoutingCode | None = None
    plateforme: LinePlatform | None = None
    uniteLegale: UnitIncluded | None = None
    etablissement: SiteIncluded | None = None


class LineResults(Published):  # _ligne_annuaire_recherche_post_200_response
    recherche: LineSearch | None = None
    nombre_total_resultats: int | None = None
    resultats: list[LineWithRelations] | None = None
