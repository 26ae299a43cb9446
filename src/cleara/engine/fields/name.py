"""Name field: person and organization names, parsed, reordered and cleanly cased.

Person names are split into `prefix, first, middle, last, suffix` (plus `nickname` when one
is written in quotes or parentheses) with nameparser; plain two-to-four word names take a
fast path that gives the same split without the full parser. `LAST, First` is put in
natural order. The value is the full name in natural order: `Dr. John A. Smith Jr.`.

Casing (`options.name_case`):

* `title` (default): words typed all in capitals or all in lower case are cased properly:
  Mc/Mac (`McDonald`, `MacLeod`, but `Mack`, `Macy`, `Machado`: see
  `data/name_mac_exceptions.txt`), `O'Brien`, `D'Angelo`, `Smith-Jones`, particles in lower
  case inside a name (`Ludwig van Beethoven`, `Maria de la Cruz`, `al-Rashid`), Roman
  numeral suffixes in capitals (`III`). Words typed in mixed case (`DeShawn`, `LaToya`,
  `Van`) are the writer's choice and are kept. Titles and generational suffixes get their
  standard form (`DR` -> `Dr.`, `jr` -> `Jr.`, `phd` -> `PhD`); initials keep the
  punctuation they were typed with.
* `keep`: words keep their case and punctuation; only order and spacing change.

Organizations (recognized by legal forms and organization words, with probablepeople for
names those do not settle) are valid with an info issue `name_is_organization`; their
value is the cleaned name with legal forms in standard case (`ACME WIDGETS LLC` ->
`Acme Widgets LLC`) and `kind` is `organization`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import nameparser
import probablepeople

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid

if TYPE_CHECKING:
    from nicknames import NickNamer

TYPE_NAME = "name"
RULE_REORDER = "name.reorder"
RULE_CASE = "name.case"
RULE_FORMAT = "name.format"
RULE_WHITESPACE = "name.whitespace"
Kind = Literal["person", "organization", "household"]

_MAX_LENGTH = 200
_MIN_LETTERS = 1
_MIN_ORG_LETTERS = 2
_MAX_FAST_WORDS = 4
_MAC_MIN_LENGTH = 6
_CACHE_SIZE = 65536
_PARSER_AMBIGUITY_CONFIDENCE = 0.8
_MODEL_CONFIDENCE = 0.9

_SPACES = re.compile(r"\s+")
_COMMAS = re.compile(r"\s*,[\s,]*")
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_APOSTROPHES = "'’"
_ROMAN_NUMERAL = re.compile(r"^(?=[ivxlc])(?:x{0,3})(?:ix|iv|v?i{0,3})$")
_DOTTED_ACRONYM = re.compile(r"^(?:\w\.){2,}$")
# A plain Latin-script word (letters up to Latin Extended-B, inner hyphens and apostrophes)
# or an initial: the only words the fast path accepts.
_LATIN_LETTER = "A-Za-zÀ-ÖØ-öø-ɏ"
_FAST_WORD = re.compile(f"^[{_LATIN_LETTER}]+(?:[-'’][{_LATIN_LETTER}]+)*$|^[{_LATIN_LETTER}]\\.?$")
_DIGIT = re.compile(r"\d")
_NOT_LETTERS = re.compile(r"[^\w\s]|\d|_")
# What people type where a name is unknown or a record is a test (compared lower-cased,
# without punctuation): shown as a warning, and read as missing when matching records.
# Not `X` (a middle initial, Malcolm X) nor surnames such as Sample or Tester.
_PLACEHOLDER_NAMES = frozenset(
    {
        "test", "test test", "testing", "test user", "test customer", "customer",
        "unknown customer", "no name", "noname", "name", "first last", "firstname lastname",
        "first name", "last name", "first name last name", "fname lname", "asdf", "asdf asdf",
        "qwerty", "xx", "xxx", "x x", "xx xx", "xxx xxx", "abc", "john doe", "jane doe",
        "john q public", "joe bloggs", "fake", "fake name", "dummy", "sample name", "anonymous",
        "anon", "not provided", "not given", "not applicable", "tbd", "tba", "cash customer",
        "walk in", "walkin", "walk in customer", "guest user", "valued customer", "occupant",
        "current resident", "current occupant",
    }
)  # fmt: skip
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")

# Particles that stay in lower case inside a name; the second set only after one of the first
# (`de la Cruz`, `van der Berg`, but `La Fontaine`, `Le Pen`).
_PARTICLES = frozenset(
    {"van", "von", "de", "del", "della", "di", "da", "du", "dos", "das", "do", "ter", "ten",
     "bin", "binti", "bint", "ibn", "zu", "af", "av", "al", "el", "y", "e"}
)  # fmt: skip
_FOLLOWING_PARTICLES = frozenset({"la", "las", "los", "le", "les", "der", "den", "des", "het"})
# Arabic articles joined with a hyphen (`al-Rashid`).
_CONJUNCTIONS = frozenset({"and", "&", "und", "et", "or"})
_HYPHEN_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ul"})
_ORG_SMALL_WORDS = frozenset(
    {"of", "and", "the", "for", "in", "at", "on", "by", "to", "a", "an", "de", "du", "des",
     "la", "le", "van", "von", "und", "et", "y"}
)  # fmt: skip
_VOWELS = frozenset("aeiouy")


# ---------------------------------------------------------------------------- data tables


def _data_text(file_name: str) -> str:
    return resources.files("cleara.engine").joinpath(f"data/{file_name}").read_text("utf-8")


def _data_rows(file_name: str) -> Iterator[list[str]]:
    for line in _data_text(file_name).splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def _mac_exceptions() -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole words and word prefixes that are not `Mac` + capitalized name."""
    words: set[str] = set()
    prefixes: list[str] = []
    for row in _data_rows("name_mac_exceptions.txt"):
        entry = row[0].strip()
        if entry.endswith("*"):
            prefixes.append(entry[:-1])
        else:
            words.add(entry)
    return frozenset(words), tuple(prefixes)


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    return {row[0]: row[1] for row in _data_rows("name_titles.tsv")}


@lru_cache(maxsize=1)
def _suffixes() -> dict[str, str]:
    return {row[0]: row[1] for row in _data_rows("name_suffixes.tsv")}


@lru_cache(maxsize=1)
def _org_terms() -> dict[str, tuple[str, str]]:
    """Organization words: lower-case key -> (standard form, kind)."""
    return {row[0]: (row[1], row[2]) for row in _data_rows("name_org_terms.tsv")}


@lru_cache(maxsize=1)
def _parser() -> nameparser.Parser:
    return nameparser.Parser()


@lru_cache(maxsize=1)
def _name_vocabulary() -> frozenset[str]:
    """Every word nameparser treats specially: such names go through the full parser."""
    lexicon = nameparser.Lexicon.default()
    sets: Iterable[frozenset[str]] = (
        lexicon.titles,
        lexicon.given_name_titles,
        lexicon.suffix_acronyms,
        lexicon.suffix_words,
        lexicon.suffix_acronyms_ambiguous,
        lexicon.particles,
        lexicon.conjunctions,
        lexicon.bound_given_names,
        lexicon.maiden_markers,
        lexicon.after_given_titles,
        lexicon.surnames,
    )
    words: set[str] = set(_titles()) | set(_suffixes())
    for entries in sets:
        words.update(entries)
    return frozenset(words)


@lru_cache(maxsize=1)
def _suffix_capitalization() -> dict[str, str]:
    """nameparser's spelling of credentials with inner capitals (`BSc`, `ChFC`)."""
    return dict(nameparser.Lexicon.default().capitalization_exceptions)


@lru_cache(maxsize=1)
def _suffix_acronyms() -> frozenset[str]:
    lexicon = nameparser.Lexicon.default()
    return lexicon.suffix_acronyms | lexicon.suffix_acronyms_ambiguous


# ---------------------------------------------------------------------------- word casing


def word_key(word: str) -> str:
    """A word's lookup form: lower case, without dots and surrounding commas (`Jr.,` -> `jr`)."""
    return word.strip(",").replace(".", "").lower()


def is_uniform_case(word: str) -> bool:
    """True when the word's cased letters are all capitals or all lower case."""
    return word == word.upper() or word == word.lower()


def _is_mac_name(lower: str) -> bool:
    if not lower.startswith("mac") or len(lower) < _MAC_MIN_LENGTH or not lower.isalpha():
        return False
    words, prefixes = _mac_exceptions()
    return lower not in words and not lower.startswith(prefixes)


def _capitalize_piece(lower: str) -> str:
    """One piece of a word (no hyphen or apostrophe) with Mc/Mac handling."""
    if lower.startswith("mc") and len(lower) > 2 and lower[2:].isalpha():
        return "Mc" + lower[2:].capitalize()
    if _is_mac_name(lower):
        return "Mac" + lower[3:].capitalize()
    return lower[:1].upper() + lower[1:]


def _case_apostrophes(lower: str) -> str:
    """`o'brien` -> `O'Brien`, `d'angelo` -> `D'Angelo`, but `joe's` -> `Joe's`."""
    match = re.search(f"[{_APOSTROPHES}]", lower)
    if match is None:
        return _capitalize_piece(lower)
    head, mark, tail = lower[: match.start()], match.group(), lower[match.end() :]
    if len(head) == 1 and tail:
        return head.upper() + mark + _case_apostrophes(tail)
    return _capitalize_piece(head) + mark + tail


def case_word(word: str) -> str:
    """A word in name case: `MCDONALD` -> `McDonald`, `smith-jones` -> `Smith-Jones`."""
    return "-".join(_case_apostrophes(part) for part in word.lower().split("-"))


# ---------------------------------------------------------------------------- text checks


def _clean_text(text: str) -> str:
    """NFKC, no control characters, single spaces, `Smith ,John` -> `Smith, John`."""
    normalized = text if text.isascii() else unicodedata.normalize("NFKC", text)
    visible = normalized
    if not normalized.isprintable():
        visible = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in normalized)
    collapsed = _SPACES.sub(" ", visible).strip()
    return _COMMAS.sub(", ", collapsed).strip(" ,")


def _invalid_reason(text: str) -> str | None:
    if _letter_count(text) < _MIN_LETTERS:
        return "too few letters for a name"
    if len(text) > _MAX_LENGTH:  # before the patterns, whose time grows with the square
        return f"longer than {_MAX_LENGTH} characters"
    if _EMAIL.search(text):
        return "looks like an email address, not a name"
    if _URL.search(text):
        return "looks like a web address, not a name"
    return None


# ---------------------------------------------------------------------------- kind of name


def _org_term_kinds(words: list[str]) -> set[str]:
    """Which kinds of organization word the name holds (legal forms only at the end)."""
    terms = _org_terms()
    keys = [word_key(w) for w in words]
    found = {terms[k][1] for k in keys if k in terms and terms[k][1] != "legal"}
    if keys and keys[-1] in terms and terms[keys[-1]][1] == "legal" and len(keys) > 1:
        found.add("legal")
    return found


@lru_cache(maxsize=_CACHE_SIZE)
def _tagged_kind(text: str) -> Kind:
    """probablepeople's reading of the whole string (slow: cached)."""
    try:
        _, label = probablepeople.tag(text)
    except probablepeople.RepeatedLabelError:
        labels = [tag for _, tag in probablepeople.parse(text)]
        if any(tag.startswith("Corporation") for tag in labels):
            return "organization"
        return "household" if "And" in labels else "person"
    if label == "Corporation":
        return "organization"
    return "household" if label == "Household" else "person"


def _name_word_count(words: list[str]) -> int:
    vocabulary = _name_vocabulary()
    return sum(1 for w in words if word_key(w) not in vocabulary)


def _needs_tagger(words: list[str], kinds: set[str]) -> bool:
    """Names the cheap rules cannot settle: weak organization words, `&`, digits, many words."""
    if "weak" in kinds:
        return True
    if any(word_key(w) in {"&", "and", "+"} or "&" in w for w in words):
        return True
    if _DIGIT.search(" ".join(words)):
        return True
    return _name_word_count(words) > _MAX_FAST_WORDS


def classify(text: str) -> tuple[Kind, bool]:
    """(`person` / `organization` / `household`, whether the statistical tagger decided)."""
    words = text.split()
    kinds = _org_term_kinds(words)
    if kinds & {"legal", "strong"}:
        return "organization", False
    if _needs_tagger(words, kinds):
        return _tagged_kind(text), True
    return "person", False


# ---------------------------------------------------------------------------- person parsing


Role = Literal["title", "given", "middle", "family", "suffix", "nickname", "maiden"]


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A person name as (word, role) pairs in written order."""

    words: tuple[tuple[str, Role], ...]
    inverted: bool
    ambiguous: bool

    def of(self, role: Role) -> list[str]:
        return [word for word, word_role in self.words if word_role == role]


def _fast_word(word: str) -> bool:
    return (
        bool(_FAST_WORD.match(word))
        and word_key(word) not in _name_vocabulary()
        and not _ROMAN_NUMERAL.match(word.lower())
        and not _has_particle_prefix(word)
    )


def _has_particle_prefix(word: str) -> bool:
    if word.isalpha():
        return False
    lower = word.lower()
    particles = _name_vocabulary()
    return any(lower[: i + 1] in particles for i, ch in enumerate(lower) if ch in "-'’" and i < 5)


@lru_cache(maxsize=1)
def _fast_titles() -> frozenset[str]:
    """Titles the fast path may strip: ours, and ones nameparser also reads as titles."""
    return frozenset(_titles()) & nameparser.Lexicon.default().titles


@lru_cache(maxsize=1)
def _fast_suffixes() -> frozenset[str]:
    """Suffixes the fast path may strip: never those that double as surnames (`Ma`, `Do`)."""
    lexicon = nameparser.Lexicon.default()
    known = lexicon.suffix_words | lexicon.suffix_acronyms
    return (frozenset(_suffixes()) & known) - lexicon.suffix_acronyms_ambiguous


def _split_titles_and_suffixes(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    titles: list[str] = []
    while words and not words[0].endswith(",") and word_key(words[0]) in _fast_titles():
        titles.append(words.pop(0))
    suffixes: list[str] = []
    while len(words) > 1 and word_key(words[-1]) in _fast_suffixes():
        suffixes.insert(0, words.pop())
    return titles, words, suffixes


def _fast_body(body: str) -> tuple[list[tuple[str, Role]], bool] | None:
    """`First [Middle...] Last` or `Last, First [Middle...]` of plain words, else None."""
    head, comma, tail = body.partition(",")
    if "," in tail:
        return None
    if comma:
        last_words, rest = head.split(), tail.split()
        if len(last_words) != 1 or not rest:
            return None
        words = [*rest, *last_words]
    else:
        words = head.split()
    if not 1 < len(words) <= _MAX_FAST_WORDS or not all(_fast_word(w) for w in words):
        return None
    middle: list[Role] = ["middle"] * (len(words) - 2)
    roles: list[Role] = ["given", *middle, "family"]
    if comma:
        return [(words[-1], roles[-1]), *zip(words[:-1], roles[:-1], strict=True)], True
    return list(zip(words, roles, strict=True)), False


def _fast_parse(text: str) -> _Parsed | None:
    """Plain names with optional standard titles and suffixes, parsed without nameparser.

    Covers `[Title] First [Middle...] Last [Suffix...]` and `Last, First [Middle...]`; any
    other shape returns None and goes to nameparser (the two agree on what is covered).
    """
    titles, words, suffixes = _split_titles_and_suffixes(text.split())
    body = " ".join(words).rstrip(",")
    if titles and "," in body:
        return None
    parsed_body = _fast_body(body)
    if parsed_body is None:
        return None
    body_words, inverted = parsed_body
    title_words: list[tuple[str, Role]] = [(word, "title") for word in titles]
    suffix_words: list[tuple[str, Role]] = [(word.strip(","), "suffix") for word in suffixes]
    ordered = (*title_words, *body_words, *suffix_words)
    return _Parsed(ordered, inverted=inverted, ambiguous=False)


def _full_parse(text: str) -> _Parsed:
    parsed = _parser().parse(text)
    words = tuple((token.text, _role(str(token.role))) for token in parsed.tokens)
    starts = {str(t.role): t.span.start for t in reversed(parsed.tokens) if t.span is not None}
    inverted = "given" in starts and "family" in starts and starts["family"] < starts["given"]
    return _Parsed(words, inverted=inverted, ambiguous=bool(parsed.ambiguities))


def _role(name: str) -> Role:
    roles: tuple[Role, ...] = ("title", "given", "middle", "family", "suffix", "nickname")
    return next((role for role in roles if role == name), "maiden")


@lru_cache(maxsize=_CACHE_SIZE)
def parse_person(text: str) -> _Parsed:
    """Split a cleaned person name into roles (fast path for plain names, else nameparser)."""
    return _family_given_patronymic(text) or _fast_parse(text) or _full_parse(text)


_SYLLABLE_SIGNS = (
    (0x3400, 0x4DBF),  # CJK unified ideographs, extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x2FA1F),  # CJK extensions B-F and compatibility supplement
)


def is_syllable_sign(char: str) -> bool:
    """A Chinese character or a Hangul syllable (one sign per syllable)."""
    point = ord(char)
    return any(low <= point <= high for low, high in _SYLLABLE_SIGNS)


_COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "歐陽", "諸葛", "東方",
    "長孫", "軒轅", "獨孤", "南宮", "남궁", "황보", "제갈", "선우", "독고", "사공",
))  # fmt: skip
"""Chinese and Korean family names of two characters; all others take one."""


def _family_first_unspaced(text: str) -> tuple[str, str] | None:
    """(given, family) of a Chinese or Korean name written in its own script without a space
    (`王小明`: family name `王`, given name `小明`); None for other names."""
    if not 2 <= len(text) <= 4 or not all(is_syllable_sign(char) for char in text):
        return None
    cut = 2 if text[:2] in _COMPOUND_SURNAMES and len(text) > 2 else 1
    return text[cut:], text[:cut]


_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична)$|(?:ovich|evich|ovna|evna|ichna)$")
"""A Russian patronymic's ending, in Cyrillic or in Latin letters."""
_RUSSIAN_FAMILY_NAME = re.compile(r"(?:ov|ev|in|yn|sky|skiy|skii|ova|eva|ina|yna|skaya)$")
"""Endings of Russian family names in Latin letters."""


def _family_given_patronymic(text: str) -> _Parsed | None:
    """`Петров Иван Сергеевич`: family, given name and patronymic, the order of Russian forms.

    Only three words of letters whose last is a patronymic and whose middle one is not
    (`Иван Сергеевич Петров` keeps the given-first order). In Latin letters the first word
    must also end as a Russian family name (`Petrov Ivan Sergeevich`), since `-ovich` ends
    family names too (`Mary Ann Popovich`)."""
    words = text.split()
    if len(words) != 3 or not all(w.replace("-", "").isalpha() for w in words):
        return None
    first, middle, last = (w.lower() for w in words)
    if not _PATRONYMIC.search(last) or _PATRONYMIC.search(middle):
        return None
    if last.isascii() and not _RUSSIAN_FAMILY_NAME.search(first):
        return None
    roles: tuple[Role, ...] = ("family", "given", "middle")
    return _Parsed(tuple(zip(words, roles, strict=True)), inverted=True, ambiguous=False)


_COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常康施牛洪文易乔赖柳"
    "陳張劉楊黃趙吳孫馬鄭羅謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒閆龍賀顧龔萬錢嚴湯喬賴"
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지"
    "엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부"
    "리림라로"
)
"""The family names of most Chinese people (the hundred commonest, in simplified and
traditional characters) and of most Koreans (in Hangul)."""
_JAPANESE_SURNAMES = frozenset((
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "渡部", "渡邊", "渡邉",
    "山本", "中村", "小林", "加藤", "吉田", "山田", "佐佐木", "山口", "松本",
    "井上", "木村", "斎藤", "斉藤", "清水", "山崎", "池田", "橋本", "阿部",
    "石川", "山下", "中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田",
    "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "福田", "太田", "西村",
    "藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "中川", "松田",
    "竹内", "小野", "田村", "中山", "和田", "石田", "森田", "上田", "柴田",
    "酒井", "工藤", "横山", "宮崎", "宮本", "内田", "高木", "安藤", "島田",
    "谷口", "大野", "丸山", "今井", "高田", "藤本", "武田", "村田", "上野",
    "杉山", "増田", "小山", "大塚", "平野", "菅原", "久保", "松井", "千葉",
    "岩崎", "桜井", "木下", "野口", "松尾", "菊地", "菊池", "野村", "新井",
    "吉川", "山内", "西田", "北村", "安田", "中田", "川口",
))  # fmt: skip
"""The commonest Japanese family names in kanji (`佐々木` read as `佐佐木`)."""
_CYRILLIC_FAMILY_NAME = re.compile(
    r"(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|енко|ук|юк|дзе|швили|ян)$"
)
"""Endings of family names in Cyrillic (Russian, Ukrainian, Belarusian; Georgian and
Armenian names as Russian writes them); patronymics end as `_PATRONYMIC` says."""
_ITERATION_MARK = re.compile(r"(.)々")
"""A kanji's iteration mark, which repeats the kanji before it."""
_JAPANESE_BUSINESS_WORDS = (
    "電機", "工業", "商店", "商事", "建設", "産業", "製作", "銀行", "病院", "医院", "会社",
    "興業", "運輸", "食品", "物産", "工務", "不動産", "薬局", "書店", "組",
)  # fmt: skip
"""Words after a family name that make it a company's name (`山田電機`, `鈴木工業`)."""
_LEGAL_FORMS = frozenset({"ооо", "зао", "оао", "пао", "ао", "ип", "тоо", "чп", "ае", "епе", "ικε"})
"""Cyrillic and Greek legal forms that a company's name holds as a word."""


def person_name_form(text: str) -> bool | None:
    """Whether a value written in Cyrillic, Greek, Chinese characters (kanji) or Hangul has
    the form of a person's name there; None for values in other scripts or mixing scripts.

    Cyrillic and Greek: two or three words of letters, capitalized or in capitals and none a
    legal form, and in Cyrillic one of them ending as a family name or patronymic does
    (`Иван Петров`, `ПЕТРОВ Иван Сергеевич`). Chinese and Korean: two to four signs after a
    common family name (`王小明`, `김민준`); Japanese: one to three kanji after a common
    family name (`佐藤 花子`, `佐々木健太`). Longer values are companies and places
    (`华为技术有限公司`). Names in kana are not judged.
    """
    text = _ITERATION_MARK.sub(lambda mark: mark.group(1) * 2, text)  # 佐々木 -> 佐佐木
    script = _script_of(text)
    if script is None:
        return None
    words = text.split()
    if script == "syllables":
        return _signs_of_a_name("".join(words))
    if not 2 <= len(words) <= 3 or not _written_as_a_name(words, 3 if script == "greek" else 2):
        return False
    return script == "greek" or any(
        _CYRILLIC_FAMILY_NAME.search(w) or _PATRONYMIC.search(w) for w in map(str.lower, words)
    )


def _signs_of_a_name(signs: str) -> bool:
    """Chinese, Korean or Japanese: a common family name, then a given name of one to three
    signs (after a Chinese or Korean family name, two to four signs in all)."""
    if not all(is_syllable_sign(char) for char in signs):
        return False
    japanese = next((n for n in (3, 2) if signs[:n] in _JAPANESE_SURNAMES), 0)
    if japanese:
        given = signs[japanese:]
        return 1 <= len(given) <= 3 and not any(w in given for w in _JAPANESE_BUSINESS_WORDS)
    if not 2 <= len(signs) <= 4:
        return False
    return signs[:2] in _COMPOUND_SURNAMES or signs[0] in _COMMON_SURNAMES


def _written_as_a_name(words: list[str], shortest: int) -> bool:
    """Words of letters (hyphens allowed) of at least `shortest` letters, each capitalized or
    in capitals (`Иван Петров`, `Иван ПЕТРОВ`), none a legal form (`ООО ПЕТРОВ`)."""
    letters = [word.replace("-", "") for word in words]
    return all(
        w.isalpha() and len(w) >= shortest and w[0].isupper() and w.lower() not in _LEGAL_FORMS
        for w in letters
    )


_Script = Literal["cyrillic", "greek", "syllables"]


def _script_of(text: str) -> _Script | None:
    """The one script of a value's letters among Cyrillic, Greek and the syllable signs of
    Chinese, Japanese kanji and Korean; None for any other letter or a mix."""
    scripts: set[_Script] = set()
    for char in text:
        if not char.isalpha():
            continue
        point = ord(char)
        if 0x0400 <= point <= 0x04FF:
            scripts.add("cyrillic")
        elif 0x0370 <= point <= 0x03FF or 0x1F00 <= point <= 0x1FFF:
            scripts.add("greek")
        elif is_syllable_sign(char):
            scripts.add("syllables")
        else:
            return None
        if len(scripts) > 1:
            return None
    return scripts.pop() if scripts else None


def given_and_family(text: str) -> tuple[str | None, str | None]:
    """A person name's given and family name as written, by the parser alone (no casing,
    validation or organization check: about 1 µs for a plain name)."""
    unspaced = _family_first_unspaced(text.strip())
    if unspaced is not None:
        return unspaced
    parsed = parse_person(_clean_text(text))
    return " ".join(parsed.of("given")) or None, " ".join(parsed.of("family")) or None


# ---------------------------------------------------------------------------- person casing


def _case_title(word: str) -> str:
    standard = _titles().get(word_key(word))
    if standard is not None:
        return standard
    return case_word(word) if is_uniform_case(word) else word


def _case_suffix(word: str) -> str:
    key = word_key(word)
    standard = _suffixes().get(key) or _suffix_capitalization().get(key)
    if standard is not None:
        return standard
    if not is_uniform_case(word):
        return word
    if _ROMAN_NUMERAL.match(key) or key in _suffix_acronyms():
        return word.upper()
    return case_word(word)


def _case_name_word(word: str, previous: str | None, is_last: bool) -> str:
    """One given/middle/family word; `previous` is the name word before it (None if first)."""
    if not is_uniform_case(word):
        return word
    lower = word.lower()
    if lower in _CONJUNCTIONS:
        return lower
    if previous is not None and not is_last:
        if lower in _PARTICLES:
            return lower
        if lower in _FOLLOWING_PARTICLES and previous.lower() in _PARTICLES:
            return lower
    article, hyphen, rest = lower.partition("-")
    if previous is not None and hyphen and article in _HYPHEN_PARTICLES and rest:
        return f"{article}-{case_word(rest)}"
    if len(lower.rstrip(".")) == 1:
        return word.upper()
    return case_word(word)


def _case_name_words(words: list[str]) -> list[str]:
    cased: list[str] = []
    for index, word in enumerate(words):
        previous = words[index - 1] if index else None
        cased.append(_case_name_word(word, previous, index == len(words) - 1))
    return cased


@dataclass(frozen=True, slots=True)
class _PersonParts:
    prefix: list[str]
    first: list[str]
    middle: list[str]
    last: list[str]
    suffix: list[str]
    nickname: list[str]
    maiden: list[str]


def _person_parts(parsed: _Parsed, case: bool) -> _PersonParts:
    """The name's parts in natural order, cased when `case` is set."""
    titles = [w.rstrip(",") for w in parsed.of("title")]
    suffixes = [w.strip(",") for w in parsed.of("suffix")]
    first, middle, last = parsed.of("given"), parsed.of("middle"), parsed.of("family")
    nickname, maiden = parsed.of("nickname"), parsed.of("maiden")
    if case:
        cased = _case_name_words([*first, *middle, *last])
        first, middle, last = (
            cased[: len(first)],
            cased[len(first) : len(first) + len(middle)],
            cased[len(first) + len(middle) :],
        )
        titles = [_case_title(w) for w in titles]
        suffixes = [_case_suffix(w) for w in suffixes]
        nickname = [case_word(w) if is_uniform_case(w) else w for w in nickname]
        maiden = _case_name_words(maiden)
    return _PersonParts(titles, first, middle, last, suffixes, nickname, maiden)


def _render_person(parts: _PersonParts) -> str:
    pieces = [*parts.prefix, *parts.first]
    if parts.nickname:
        pieces.append(f'"{" ".join(parts.nickname)}"')
    pieces += [*parts.middle, *parts.last]
    if parts.maiden:
        pieces += ["née", *parts.maiden]
    name = " ".join(pieces)
    if parts.suffix:
        name = f"{name} {', '.join(parts.suffix)}" if name else ", ".join(parts.suffix)
    return name


def _joined(words: list[str], separator: str = " ") -> str | None:
    return separator.join(words) if words else None


def _person_components(parts: _PersonParts, kind: Kind) -> dict[str, Any]:
    components: dict[str, Any] = {
        "prefix": _joined(parts.prefix),
        "first": _joined(parts.first),
        "middle": _joined(parts.middle),
        "last": _joined(parts.last),
        "suffix": _joined(parts.suffix, ", "),
    }
    if parts.nickname:
        components["nickname"] = " ".join(parts.nickname)
    components["kind"] = "organization" if kind == "organization" else "person"
    return components


# ---------------------------------------------------------------------------- organizations


def _acronym(word: str) -> str:
    """`word` in capitals, unless capitals would change its letters (`ß` -> `SS`)."""
    upper = word.upper()
    return upper if len(upper) == len(word) else word


def _case_org_word(word: str, is_first: bool) -> str:
    core = word.rstrip(",")
    trailing = word[len(core) :]
    if not core or not is_uniform_case(core):
        return word
    key = word_key(core)
    term = _org_terms().get(key)
    lower = core.lower()
    if term is not None and term[1] == "legal" and not is_first:
        cased = term[0]
    elif not is_first and lower in _ORG_SMALL_WORDS:
        cased = lower
    elif _DOTTED_ACRONYM.match(core) or "&" in core:
        cased = _acronym(core)
    elif any(ch.isdigit() for ch in core):
        cased = "-".join(_acronym(p) if any(c.isdigit() for c in p) else case_word(p)
                         for p in core.split("-"))  # fmt: skip
    elif core.isalpha() and len(core) <= 3 and not _VOWELS & set(lower):
        cased = _acronym(core)
    else:
        cased = case_word(core)
    return cased + trailing


def _clean_org(text: str, case: bool) -> str:
    if not case:
        return text
    return " ".join(_case_org_word(w, i == 0) for i, w in enumerate(text.split()))


def _org_components() -> dict[str, Any]:
    return dict.fromkeys(("prefix", "first", "middle", "last", "suffix")) | {"kind": "organization"}


# ---------------------------------------------------------------------------- validation


def _rule(original: str, value: str, inverted: bool) -> str | None:
    if value == original:
        return None
    if inverted:
        return RULE_REORDER
    if value.lower() != _SPACES.sub(" ", original).strip().lower():
        return RULE_FORMAT
    if value != _SPACES.sub(" ", original).strip():
        return RULE_CASE
    return RULE_WHITESPACE


def _validate_org(original: str, text: str, case: bool, by_model: bool) -> FieldResult:
    value = _clean_org(text, case)
    return FieldResult(
        input=original,
        type=TYPE_NAME,
        valid=True,
        value=value,
        issues=[Issue("name_is_organization", "an organization name, not a person", "info")],
        components=_org_components(),
        confidence=_MODEL_CONFIDENCE if by_model else 1.0,
        rule=_rule(original, value, inverted=False),
    )


def _person_issues(parts: _PersonParts, kind: Kind) -> list[Issue]:
    issues: list[Issue] = []
    name_words = [*parts.first, *parts.middle, *parts.last]
    if len(name_words) == 1 and not _CJK.search(name_words[0]):
        issues.append(Issue("name_single_token", "only one name word", "info"))
    if kind == "household":
        issues.append(Issue("name_multiple_people", "names more than one person", "info"))
    return issues


def _is_title_or_suffix(word: str) -> bool:
    key = word_key(word)
    return key in _titles() or key in _suffixes()


def _promote_lone_title(parsed: _Parsed) -> _Parsed:
    """A single word read as a title or suffix (`King`) is the name itself."""
    if len(parsed.words) == 1 and parsed.words[0][1] in ("title", "suffix"):
        return _Parsed(((parsed.words[0][0], "given"),), inverted=False, ambiguous=True)
    return parsed


def _validate_person(original: str, text: str, kind: Kind, options: FieldOptions) -> FieldResult:
    parsed = _promote_lone_title(parse_person(text))
    parts = _person_parts(parsed, case=options.name_case == "title")
    name_words = [*parts.first, *parts.middle, *parts.last]
    if not name_words or all(_is_title_or_suffix(word) for word in name_words):
        return invalid(original, TYPE_NAME, "name_invalid", "holds only titles or suffixes")
    if _DIGIT.search(" ".join(name_words)) or any(
        _DIGIT.search(word) and not _is_title_or_suffix(word) for word in parts.suffix
    ):  # a suffix of digits (`Smith, John, 0`) would read as a name word once rendered
        return invalid(original, TYPE_NAME, "name_invalid", "a person's name with digits")
    value = _render_person(parts)
    confidence = _PARSER_AMBIGUITY_CONFIDENCE if parsed.ambiguous else 1.0
    return FieldResult(
        input=original,
        type=TYPE_NAME,
        valid=True,
        value=value,
        issues=_person_issues(parts, kind),
        components=_person_components(parts, kind),
        confidence=confidence,
        rule=_rule(original, value, parsed.inverted),
    )


def _letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def is_placeholder(name: str) -> bool:
    """True for a name typed where the real one is unknown or the record is a test
    (`Test Test`, `John Doe`, `Walk-in Customer`, `XXX`)."""
    key = " ".join(_NOT_LETTERS.sub(" ", name.lower()).split())
    return key in _PLACEHOLDER_NAMES


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    cleaned = _clean_text(text)
    reason = _invalid_reason(cleaned)
    if reason is not None:
        return invalid(text, TYPE_NAME, "name_invalid", reason)
    kind, by_model = classify(cleaned)
    if kind == "organization" and _letter_count(cleaned) >= _MIN_ORG_LETTERS:
        result = _validate_org(text, cleaned, options.name_case == "title", by_model)
    else:
        result = _validate_person(text, cleaned, kind, options)
    if result.valid and is_placeholder(cleaned):
        result.placeholder = True
        message = f"'{cleaned}' stands in for an unknown name or marks a test record"
        result.issues.append(Issue("name_placeholder", message, "warning"))
    return result


FIELD = FieldType(TYPE_NAME, _validate_value)


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    from nicknames import NickNamer  # 60 ms to import: only when names are matched

    return NickNamer()


def are_nicknames(one: str, other: str) -> bool:
    """Whether two given names are a name and its nickname or two nicknames of one name
    (`William` / `Bill`, `Bill` / `Will`), by the hand-curated English list of the
    `nicknames` package; case and surrounding spaces do not count."""
    return not nickname_keys(one).isdisjoint(nickname_keys(other))


@lru_cache(maxsize=65536)
def nickname_keys(name: str) -> frozenset[str]:
    """The full names a given name stands for: those it is a nickname of, and itself if it
    has nicknames. Two different names are nicknames of one another (`are_nicknames`)
    exactly when their keys meet; most names have none."""
    names = _nicknamer()
    keys = set(names.canonicals_of(name))
    if names.nicknames_of(name):
        keys.add(name.strip().lower())
    return frozenset(keys)
