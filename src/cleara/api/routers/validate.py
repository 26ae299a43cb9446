"""POST /v1/validate: check and normalize single values of one or several types."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from cleara.api.deps import SettingsDep
from cleara.api.errors import ApiError
from cleara.api.platform_deps import DATA_ENDPOINT, note_records
from cleara.api.schemas import ERROR_RESPONSES
from cleara.engine.fields.base import FieldOptions, JsonScalar
from cleara.engine.fields.registry import VALIDATE_TYPES, get_field

router = APIRouter(prefix="/v1", tags=["validate"], dependencies=[DATA_ENDPOINT])

FieldTypeName = Literal[
    "email", "phone", "name", "date", "address", "country", "postal_code", "url",
    "datetime", "state", "text", "number", "boolean", "currency", "gender",
]  # fmt: skip
assert set(FieldTypeName.__args__) == set(VALIDATE_TYPES)  # type: ignore[attr-defined]

CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", examples=["US"])]


class ValidateOptions(BaseModel):
    """Rendering options shared by all values of the request."""

    model_config = ConfigDict(extra="forbid")

    phone_format: Literal["e164", "international", "national"] = "e164"
    date_format: str | None = Field(None, description="strftime pattern; ISO 8601 when null.")
    dayfirst: bool | None = Field(None, description="Force day/month order of dates.")
    name_case: Literal["title", "keep"] = "title"
    check_mx: bool = Field(False, description="Look up the email domain's MX records.")


class ValidateItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: FieldTypeName
    value: JsonScalar
    country: CountryCode | None = None


class ValidateRequest(BaseModel):
    """Either `type` + `values` (+ `country`), or `items` each with its own type."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"type": "phone", "values": ["(415) 555-2671", "020 7946 0958"], "country": "US"},
                {
                    "items": [
                        {"type": "email", "value": "Jane.Doe@GMIAL.com"},
                        {"type": "date", "value": "03/04/2021", "country": "GB"},
                    ]
                },
            ]
        },
    )

    type: FieldTypeName | None = None
    values: list[JsonScalar] | None = None
    country: CountryCode | None = None
    items: list[ValidateItem] | None = None
    options: ValidateOptions = Field(default_factory=ValidateOptions)

    @model_validator(mode="after")
    def _one_form(self) -> ValidateRequest:
        if self.items is not None:
            if self.type is not None or self.values is not None:
                raise ValueError("send either `items`, or `type` with `values`, not both")
        elif self.type is None or self.values is None:
            raise ValueError("send `type` with `values`, or `items`")
        return self

    def as_items(self) -> list[ValidateItem]:
        if self.items is not None:
            return self.items
        assert self.type is not None
        assert self.values is not None
        return [ValidateItem(type=self.type, value=v, country=self.country) for v in self.values]


class IssueOut(BaseModel):
    code: str
    message: str


class ValidationResult(BaseModel):
    input: JsonScalar
    type: str
    valid: bool
    value: JsonScalar
    issues: list[IssueOut]
    components: dict[str, Any]
    suggestion: str | None
    placeholder: bool = Field(
        False, description="A filler typed where the value was unknown (`noemail@gmail.com`)."
    )


class ValidateResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "input": "(415) 555-2671",
                            "type": "phone",
                            "valid": True,
                            "value": "+14155552671",
                            "issues": [],
                            "components": {"country": "US", "type": "fixed_line_or_mobile"},
                            "suggestion": None,
                            "placeholder": False,
                        }
                    ]
                }
            ]
        }
    )

    results: list[ValidationResult]


def _validate_items(items: list[ValidateItem], options: ValidateOptions) -> list[dict[str, Any]]:
    base = FieldOptions(**options.model_dump())
    results = []
    for item in items:
        country = item.country.upper() if item.country else None
        results.append(get_field(item.type).validate(item.value, base.with_country(country)))
    return [r.as_dict() for r in results]


@router.post(
    "/validate",
    response_model=ValidateResponse,
    responses=ERROR_RESPONSES,
    summary="Validate and normalize values",
)
async def validate_values(
    settings: SettingsDep, request: Annotated[ValidateRequest, Body()]
) -> dict[str, Any]:
    """Check each value on its own and return one result per value, in order."""
    items = request.as_items()
    if len(items) > settings.max_records:
        raise ApiError(
            413,
            "too_many_values",
            f"This request has {len(items)} values; the limit is {settings.max_records} "
            "per request. Split the values over several requests.",
            param="values" if request.items is None else "items",
        )
    results = await run_in_threadpool(_validate_items, items, request.options)
    note_records(len(items))
    return {"results": results}
