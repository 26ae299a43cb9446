"""Header names to semantic types, by normalized synonym lookup in several languages.

This is the deterministic first stage of schema detection: `E-mail Addr`, `Tel.`, `DOB`,
`Zip/Postal`, `PLZ`, `Código Postal` and `fname` all resolve without a model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Abbreviations expanded token by token before lookup.
_ABBREVIATIONS: dict[str, str] = {
    "addr": "address", "adr": "address", "tel": "telephone", "ph": "phone", "no": "number",
    "num": "number", "nr": "number", "fname": "first name", "lname": "last name",
    "mname": "middle name", "dob": "date of birth", "bday": "birthday", "zip": "zip",
    "st": "state", "ctry": "country", "cntry": "country", "co": "company", "org": "organization",
    "amt": "amount", "qty": "quantity", "pct": "percent", "dept": "department", "mob": "mobile",
    "cell": "cell", "www": "website", "eml": "email", "fn": "first name", "ln": "last name",
    "yr": "year", "lat": "latitude", "lng": "longitude", "lon": "longitude", "long": "longitude",
    "tz": "timezone", "curr": "currency", "ccy": "currency", "sex": "gender", "dt": "date",
    "ts": "timestamp", "id": "id", "uid": "id", "pcode": "postcode", "cp": "codigo postal",
}  # fmt: skip

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "e mail", "email address", "e mail address", "mail", "correo",
        "correo electronico", "courriel", "adresse email", "adresse e mail", "mail adresse",
        "e mail adresse", "emailadresse", "endereco de email", "indirizzo email",
        "posta elettronica", "e mailadres", "emailadres", "contact email", "work email",
    ),
    "phone": (
        "phone", "phone number", "telephone", "telephone number", "mobile", "mobile phone",
        "cell", "cell phone", "cellphone", "contact number", "work phone", "home phone", "fax",
        "telefono", "movil", "celular", "numero de telefono", "telephone portable", "portable",
        "numero de telephone", "telefon", "telefonnummer", "handy", "mobiltelefon",
        "telefone", "telemovel", "cellulare", "numero di telefono", "telefoonnummer",
        "mobiel", "mobile number", "phone no", "telephone no",
    ),
    "url": (
        "url", "website", "web site", "web", "homepage", "home page", "site", "link",
        "web address", "sitio web", "pagina web", "site web", "site internet", "webseite",
        "sito web", "sito", "webpagina",
    ),
    "ip_address": ("ip", "ip address", "ipv4", "ipv6", "direccion ip", "adresse ip"),
    "full_name": (
        "name", "full name", "fullname", "customer name", "contact name", "contact",
        "person", "client name", "nombre completo", "nom complet", "vollstandiger name",
        "nome completo", "nome", "naam", "volledige naam", "customer", "client", "artist",
        "artist name", "author name", "employee name", "person name",
    ),
    "first_name": (
        "first name", "firstname", "given name", "forename", "first", "nombre", "prenom",
        "vorname", "primeiro nome", "nome proprio", "voornaam",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "last", "apellido", "apellidos",
        "nom", "nom de famille", "nachname", "familienname", "sobrenome", "apelido",
        "cognome", "achternaam",
    ),
    "middle_name": ("middle name", "middle", "middle initial", "segundo nombre"),
    "name_prefix": ("prefix", "title", "salutation", "anrede", "civilite", "tratamiento"),
    "name_suffix": ("suffix", "name suffix"),
    "gender": ("gender", "sexo", "genero", "sexe", "genre", "geschlecht", "sesso", "geslacht"),
    "date_of_birth": (
        "date of birth", "birth date", "birthdate", "birthday", "born", "fecha de nacimiento",
        "date de naissance", "geburtsdatum", "data de nascimento", "data di nascita",
        "geboortedatum",
    ),
    "age": ("age", "edad", "alter", "idade", "eta", "leeftijd"),
    "street_address": (
        "street", "street address", "address line 1", "address 1", "address1", "addressline1",
        "calle", "direccion", "rue", "strasse", "adresse", "rua", "morada", "via", "indirizzo",
        "straat", "straatnaam", "line 1", "street 1", "address",
    ),
    "address_line2": (
        "address line 2", "address 2", "address2", "addressline2", "line 2", "street 2",
        "apartment", "suite", "unit", "apt", "complemento",
    ),
    "address": (
        "address", "full address", "mailing address", "postal address", "billing address",
        "shipping address", "home address", "domicilio", "adresse postale", "anschrift",
        "endereco", "adres",
    ),
    "city": (
        "city", "town", "locality", "municipality", "ciudad", "localidad", "ville", "stadt",
        "ort", "wohnort", "cidade", "citta", "comune", "stad", "plaats", "woonplaats", "place",
        "name",
    ),
    "state": (
        "state", "province", "region", "state province", "county state", "estado", "provincia",
        "region", "etat", "bundesland", "land region", "regione", "staat", "name",
        "subdivision", "subdivision name", "state name", "province name", "admin1",
    ),
    "postal_code": (
        "zip", "zip code", "zipcode", "postal code", "postcode", "post code", "zip postal",
        "postal", "codigo postal", "code postal", "plz", "postleitzahl", "cep", "cap",
        "codice postale", "postcode nl", "cp",
    ),
    "country": (
        "country", "country code", "nation", "pais", "pays", "land", "staat land", "paese",
        "country name", "iso country", "alpha 2", "alpha 3", "alpha2", "alpha3", "iso2", "iso3",
        "code",
        "iso alpha 2", "iso alpha 3", "country iso", "country alpha 3", "nationality", "name",
    ),
    "county": (
        "county", "district", "condado", "comte", "landkreis", "kreis", "provincie", "name",
    ),
    "latitude": ("latitude", "lat", "latitud", "breitengrad", "breedtegraad"),
    "longitude": ("longitude", "lng", "lon", "longitud", "langengrad", "lengtegraad"),
    "company": (
        "company", "company name", "organization", "organisation", "employer", "business",
        "account name", "empresa", "compania", "entreprise", "societe", "firma",
        "unternehmen", "azienda", "societa", "bedrijf", "organizacion", "manufacturer",
        "brand", "vendor", "supplier", "publisher", "maker", "hersteller", "marca", "marque",
        "fabricant", "fabricante", "merk", "name",
    ),
    "job_title": (
        "job title", "title", "position", "role", "occupation", "designation", "cargo",
        "puesto", "poste", "fonction", "beruf", "position titel", "berufsbezeichnung",
        "profissao", "ruolo", "functie",
    ),
    "department": ("department", "division", "team", "departamento", "departement", "abteilung"),
    "industry": ("industry", "sector", "vertical", "industria", "branche", "settore"),
    "date": (
        "date", "created", "created at", "created date", "updated", "updated at", "order date",
        "signup date", "join date", "fecha", "datum", "data", "date de creation", "released",
        "release date", "published", "publication date", "due date", "start date", "end date",
    ),
    "datetime": ("datetime", "timestamp", "created timestamp", "event time", "fecha y hora"),
    "time": ("time", "hora", "heure", "uhrzeit", "ora", "tijd"),
    "year": ("year", "ano", "annee", "jahr", "anno", "jaar"),
    "currency_amount": (
        "amount", "price", "total", "revenue", "cost", "salary", "balance", "value",
        "importe", "precio", "monto", "montant", "prix", "betrag", "preis", "valor", "preco",
        "importo", "prezzo", "bedrag", "prijs", "order total", "amount usd",
        "wage", "wages", "hourly wage", "hourly rate", "pay rate", "net pay", "gross pay",
        "fee", "fees", "fare", "income", "earnings", "subtotal", "unit price", "list price",
        "sale price", "net price", "unit cost", "shipping cost", "gross amount", "net amount",
        "tax amount", "amount due", "amount paid", "payment amount", "credit limit", "deposit",
        "rent", "budget", "spend", "turnover", "profit", "msrp", "bill", "bill amount",
        "total bill", "tip", "tips", "gratuity", "salario", "sueldo", "tarifa",
        "ingresos", "coste", "costo", "presupuesto", "salaire", "tarif", "frais", "revenu",
        "cout", "chiffre d affaires", "lohn", "gehalt", "gebuhr", "umsatz", "kosten",
        "einkommen", "custo", "receita", "stipendio", "tariffa", "ricavi", "reddito", "loon",
        "salaris", "tarief", "omzet", "inkomen",
    ),
    "currency_code": (
        "currency", "currency code", "moneda", "devise", "wahrung", "moeda", "valuta", "code",
    ),
    "percentage": (
        "percent", "percentage", "rate", "discount", "porcentaje", "pourcentage", "share",
        "vote share", "market share",
    ),
    "boolean": (
        "active", "is active", "enabled", "subscribed", "opt in", "optin", "verified",
        "consent", "newsletter", "flag", "activo", "actif", "aktiv",
    ),
    "integer": (
        "count", "quantity", "number of", "cantidad", "quantite", "anzahl", "quantidade",
        "total", "value",  # also money (listed there too): the values decide
    ),
    "number": (
        "measurement", "weight", "height", "length", "width", "depth", "area", "volume",
        "distance", "speed", "temperature", "temp", "pressure", "humidity", "rainfall", "score",
        "rating", "ratio", "mileage", "density", "power", "energy", "gewicht", "peso", "poids",
        "yield", "precipitation", "wind", "displacement", "acceleration", "horsepower",
        "altura", "hauteur", "temperatura", "distancia",
    ),
    "identifier": (
        "id", "customer id", "record id", "account id", "user id", "order id", "code", "sku",
        "reference", "ref", "key", "number", "customer number", "account number", "model number",
        "model no", "modelno", "part number", "mpn", "article number", "artikelnummer", "ean",
        "upc", "isbn", "order number", "invoice number", "fips", "fips code", "iata", "icao",
        "geoid", "isin", "gtin", "asin",
    ),
    "uuid": ("uuid", "guid"),
    "credit_card": ("credit card", "card number", "cc number", "credit card number"),
    "iban": ("iban", "bank account", "account iban"),
    "national_id": (
        "ssn", "social security number", "national id", "tax id", "nif", "dni", "nie",
        "cpf", "codice fiscale", "bsn", "steuer id", "passport",
    ),
    "language": (
        "language", "lang", "idioma", "langue", "sprache", "lingua", "taal", "locale", "code",
        "language code",
    ),
    "timezone": ("timezone", "time zone", "zona horaria", "fuseau horaire", "zeitzone"),
    "categorical": (
        "status", "type", "category", "segment", "tier", "stage", "source", "channel", "genre",
        "style", "kind", "class", "group", "species", "variety", "categoria", "categorie",
        "kategorie", "tipo", "estado", "race", "ethnicity", "ethnic group",
    ),
    "text": (
        "notes", "note", "comments", "comment", "description", "remarks", "message", "bio",
        "summary", "review", "abstract", "feedback", "details", "descripcion", "beschreibung",
        "commentaire", "opmerking", "observaciones", "title", "headline", "subject",
        "name", "product name", "item name",
    ),
}  # fmt: skip

_SPLIT_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_header(header: str) -> str:
    """Case-folded, accent-free, separator-free form of a header, with abbreviations expanded;
    words split where case or letters and digits change (`homePhone2` -> `home phone 2`,
    `Straße` -> `strasse`)."""
    text = _SPLIT_DIGITS.sub(" ", _SPLIT_CAMEL.sub(" ", header.strip()))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()  # ß: ss
    tokens = [t for t in _NON_ALNUM.split(text) if t]
    expanded = " ".join(_ABBREVIATIONS.get(t, t) for t in tokens)
    return expanded.strip()


# The type `header_type` gives an ambiguous synonym listed before it under another type.
_PRIMARY: dict[str, str] = {"code": "identifier", "address": "address"}


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, str]:
    index: dict[str, str] = dict(_PRIMARY)
    for type_name, synonyms in _SYNONYMS.items():
        for synonym in synonyms:
            index.setdefault(normalize_header(synonym), type_name)
    return index


# Whose name a `<modifier> name` header holds, when the modifier is no synonym itself.
_PERSON_NOUNS = frozenset({
    "person", "people", "customer", "client", "contact", "member", "employee", "staff",
    "worker", "patient", "student", "pupil", "teacher", "instructor", "doctor", "physician",
    "nurse", "owner", "manager", "agent", "representative", "rep", "author", "writer",
    "artist", "singer", "composer", "player", "athlete", "coach", "driver", "passenger",
    "guest", "visitor", "buyer", "seller", "recipient", "sender", "applicant", "candidate",
    "parent", "father", "mother", "guardian", "spouse", "child", "beneficiary", "holder",
    "cardholder", "subscriber", "attendee", "speaker", "participant", "volunteer",
    "director", "officer", "supervisor", "tenant", "landlord", "resident", "pilot",
    "lawyer", "attorney", "editor", "reviewer", "founder", "president", "lead",
    "prospect", "donor", "policyholder", "insured", "actor", "actress", "emergency",
    "billing", "shipping", "user", "cust", "emp", "kunde", "cliente", "full", "display",
    "given", "family", "nick",
})  # fmt: skip
_ORGANIZATION_NOUNS = frozenset({
    "business", "organization", "organisation", "firm", "employer", "bank", "hotel",
    "restaurant", "store", "shop", "school", "university", "college", "hospital", "clinic",
    "vendor", "supplier", "carrier", "agency", "institution", "club", "brewery", "winery",
    "merchant", "retailer", "distributor", "partner", "airline", "insurer", "pharmacy",
    "charity", "foundation", "association", "trade", "trading", "corporate",
})  # fmt: skip
_QUALIFIERS = frozenset(
    {"primary", "main", "home", "work", "new", "old", "other", "alt", "legal", "maiden"}
)
_PLACE_NOUNS = frozenset({
    "location", "site", "area", "village", "neighborhood", "neighbourhood", "station",
    "airport", "port", "venue", "building", "park", "lake", "river", "mountain", "island",
})  # fmt: skip


def reading(key: str) -> str:
    """The normalized header that header matching reads: `key` itself, except for a name
    whose modifier says whose name it is and is no synonym itself. `beer name` and
    `song name` name things (read as `item name`), `patient name` a person (`person name`),
    `hotel name` an organization (`company name`); a place's (`station name`) and a bare or
    otherwise qualified `name` stay as they are, and the values decide."""
    words = key.split()
    if len(words) < 2 or words[-1] != "name" or _named_synonym(key) != "name":
        return key  # not a name, or a synonym names the type (`brand name`, `city name`)
    modifiers = set(words[:-1])
    if modifiers & _PERSON_NOUNS:
        return "person name"
    if modifiers & _ORGANIZATION_NOUNS:
        return "company name"
    if modifiers & (_PLACE_NOUNS | _QUALIFIERS) or any(w.isdigit() for w in modifiers):
        return key
    return "item name"


_QUOTE_FIELDS = frozenset({"open", "high", "low", "close", "adj close", "adjusted close"})
MIN_QUOTE_FIELDS = 3
"""Headers of a price-quote table (stock, currency or commodity prices): three of them."""


def table_readings(keys: list[str]) -> list[str]:
    """Readings of a table's headers taken together: in a table of price quotes (at least
    three of `open`, `high`, `low`, `close`), those columns are prices (`open price`); alone,
    `open` or `close` says nothing about money."""
    if len({k for k in keys if k in _QUOTE_FIELDS}) < MIN_QUOTE_FIELDS:
        return keys
    return [f"{k} price" if k in _QUOTE_FIELDS else k for k in keys]


@lru_cache(maxsize=4096)
def _named_synonym(key: str) -> str | None:
    """The synonym a normalized header names: itself when listed, `id` when it ends in `id`,
    else the most specific one it contains as whole words (`billing email` -> `email`,
    `city name` -> `city`)."""
    index = _ambiguity_index()
    if key in index:
        return key
    if key.endswith(" id"):  # `district id`, `tuna id`: the key of a district, of a tuna
        return "id"
    padded = f" {key} "
    contained = [s for s in index if len(s) >= 3 and f" {s} " in padded]
    if contained:
        return max(contained, key=lambda s: _specificity(s, padded))
    return _compound_head(key)


# Words that end a run-together header as its head noun (`menwage`, `basesalary`,
# `homephone`); a word that also ends unrelated words (`date` in `candidate`, `name` in
# `username`, `state` in `estate`) is not one.
_COMPOUND_HEADS = (
    "wage", "wages", "salary", "income", "price", "cost", "amount", "revenue", "bill",
    "phone", "email", "percent", "share",
)  # fmt: skip
_MIN_COMPOUND_MODIFIER = 3


def _compound_head(key: str) -> str | None:
    """The head synonym of a run-together last word (`women wage` for `womwage`), if any."""
    last = key.rsplit(" ", 1)[-1]
    for head in _COMPOUND_HEADS:
        if last.endswith(head) and len(last) - len(head) >= _MIN_COMPOUND_MODIFIER:
            return head
    return None


def _specificity(synonym: str, padded: str) -> tuple[int, bool, int]:
    """Longer synonyms say more; at equal length anything says more than `name`, then the
    later word, the head of an English noun phrase (`contact address` is an address)."""
    return len(synonym), synonym != "name", padded.rfind(f" {synonym} ")


def header_type(header: str) -> str | None:
    """The semantic type a header names, or None when it is not recognized."""
    synonym = _named_synonym(reading(normalize_header(header)))
    return _synonym_index()[synonym] if synonym else None


@lru_cache(maxsize=1)
def _ambiguity_index() -> dict[str, tuple[str, ...]]:
    """Normalized synonym -> every type that lists it (`name`, `title`, `code`, `genre`)."""
    index: dict[str, tuple[str, ...]] = {}
    for type_name, names in _SYNONYMS.items():
        for synonym in names:
            key = normalize_header(synonym)
            if type_name not in index.get(key, ()):
                index[key] = (*index.get(key, ()), type_name)
    return index


def header_types(header: str) -> tuple[str, ...]:
    """Every type a header may name: one for most headers, several for ambiguous ones
    (`name` is a person, a place, a company or a title; `genre` a gender or a category),
    none when it is not recognized. Values decide among several."""
    return reading_types(reading(normalize_header(header)))


def reading_types(key: str) -> tuple[str, ...]:
    """`header_types` of a header already normalized and read (`reading`)."""
    synonym = _named_synonym(key)
    return _ambiguity_index()[synonym] if synonym else ()


def synonyms() -> dict[str, tuple[str, ...]]:
    """The curated synonym list, by semantic type."""
    return dict(_SYNONYMS)
