"""The store's fast event bodies are byte-identical to the reference serialisation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice.calendars import china
from govservice.cases import EVENT_TYPES, Applicant, Clock, Event, Renewal, event_to_dict
from govservice.storage._bodies import _instant_text, body_and_time, reference_body
from govservice.testing.store_conformance import CATALOGUE
from govservice.testing.strategies import applicants, case_histories

texts = st.text()  # any code points: quotes, backslashes, controls, U+2028, astral, surrogates
optional_texts = st.none() | texts
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)
zones = st.sampled_from([UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/St_Johns")]) | offsets
instants = st.builds(
    lambda d, tz: d.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)),
    zones,
)
integers = st.integers() | st.integers(min_value=-(2**70), max_value=2**70)


def unchecked(cls: Any, *args: Any, **kwargs: Any) -> Any:
    """*cls* built from any values: ids' and texts' bounds are checked on the way in, not here."""
    import attrs

    with attrs.validators.disabled():
        return cls(*args, **kwargs)


renewals = st.builds(
    lambda licence, day: unchecked(Renewal, licence, day), texts.filter(str.strip), st.dates()
)
# what a caller can put in a field from Python: attrs checks no types (cattrs does, from dicts)
odd = st.booleans() | st.integers() | st.floats(allow_nan=False) | st.lists(texts, max_size=2)


def value_for(field: Any) -> st.SearchStrategy[Any]:
    declared = field.type
    plain = {
        str: texts,
        str | None: optional_texts,
        int: integers,
        int | None: st.none() | integers,
        datetime: instants,
        Applicant: applicants().map(Applicant.from_dict),
        tuple[str, ...]: st.lists(texts, max_size=4).map(tuple),
        Renewal | None: st.none() | renewals,
    }[declared]
    if field.name == "at":
        return plain
    return plain | odd if declared is not Applicant else plain


@st.composite
def events(draw: st.DrawFn) -> Event:
    import attrs

    cls = draw(st.sampled_from(list(EVENT_TYPES.values())))
    kwargs = {f.name: draw(value_for(f)) for f in attrs.fields(cls) if f.init}
    return unchecked(cls, **kwargs)


any_offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
).map(timezone)  # seconds and microseconds too
any_instants = st.datetimes(timezones=any_offsets | zones) | instants


@given(any_instants)
def test_instant_text_is_isoformat(at: datetime) -> None:
    assert _instant_text(at) == at.isoformat()
    assert _instant_text(at) == at.isoformat()  # again, from what was kept


@given(events())
def test_fast_body_is_the_reference_body(event: Event) -> None:
    try:
        expected = reference_body(event)
    except (TypeError, ValueError):  # not JSON at all: the fast path refuses it as well
        try:
            body_and_time(event)[0]
        except (TypeError, ValueError):
            return
        raise AssertionError("the fast path wrote what the reference could not") from None
    body, at = body_and_time(event)
    assert body == expected
    assert at == event.at.isoformat()


@given(case_histories(Clock(CATALOGUE, china())))
def test_fast_body_of_valid_histories(case: Any) -> None:
    for event in case.events:
        body = body_and_time(event)[0]
        assert body == json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True)


def test_subclass_goes_the_reference_way() -> None:
    """An event class of one's own is not in the event format: both ways refuse it alike."""
    import attrs

    from govservice.cases import Accepted

    @attrs.frozen(kw_only=True)
    class Stamped(Accepted):
        stamp: str = "x"

    event = Stamped(case="A", at="2026-09-24T09:45:00+08:00")
    with pytest.raises(KeyError) as reference:
        reference_body(event)
    with pytest.raises(KeyError) as fast:
        body_and_time(event)[0]
    assert str(fast.value) == str(reference.value)


# ---- events read fast from their JSON objects (govservice.cases._readers) ----------------

json_values = st.recursive(
    st.none() | st.booleans() | integers | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=5,
)


hostile = st.sampled_from(
    [
        "",
        " ",
        "\u3000",  # an ideographic space: blank
        "A\x00",
        "A\tB",
        "A\nB",
        "\x1b[31m",
        "\u202eA",
        "\ud800",
        "A" * 128,
        "A" * 129,
        "A" * 1_000,
        "A" * 1_001,
        "2026-09-24T09:45:00",  # naive
        "2026-09-24",
        "2026-09-24T09:45:00+08:00",
        "1949-09-30T23:59:59+00:00",  # before the first day
        "1949-10-01T00:00:00+08:00",
        "2199-12-31T23:59:59-12:00",
        "2200-01-01T00:00:00+14:00",  # after the last day
        "person",
        "organization",
        "11010519491231002X",
        "11010519491231002x",
        "91350100M000100Y43",
        True,
        False,
        -1,
        0,
        91_403,
        91_404,
        1.0,
        None,
        [],
        ["A"],
        ["A", "\x00"],
        {},
    ]
)
"""Values that sit on (or just over) a limit: controls, blanks, lengths, times, counts, bools."""


def _changed(draw: st.DrawFn, data: dict[str, Any], keep: tuple[str, ...] = ()) -> None:
    """Change, drop or add up to two fields of *data*, in place."""
    fields = [k for k in data if k not in keep]
    for key in draw(st.lists(st.sampled_from([*fields, "extra"]), max_size=2)):
        change = draw(st.sampled_from(["value", "drop"]))
        if change == "drop":
            data.pop(key, None)
        else:
            data[key] = draw(json_values | hostile)


@st.composite
def event_objects(draw: st.DrawFn) -> dict[str, Any]:
    """An event's JSON object, most often valid, with fields (and applicant's) changed,
    dropped or added: any JSON value, or one on the edge of a limit."""
    if draw(st.booleans()):  # a valid event of a case's history
        event = draw(st.sampled_from(draw(case_histories(Clock(CATALOGUE, china()))).events))
    else:  # any values, the limits not checked
        event = draw(events())
    try:
        data = json.loads(reference_body(event))
    except (TypeError, ValueError):
        data = {"type": event.type, "case": "A", "at": "2026-09-24T09:45:00+08:00"}
    _changed(draw, data, keep=("type",))  # the type chooses the class: kept
    if isinstance(data.get("applicant"), dict) and draw(st.booleans()):
        data["applicant"] = dict(data["applicant"])
        _changed(draw, data["applicant"])
    return data


@given(event_objects())
def test_fast_event_is_the_reference_event(data: dict[str, Any]) -> None:
    """Read fast or the reference way (cattrs), an event's JSON object gives the same event;
    what the reference way refuses, the fast way leaves to it."""
    from govservice.cases import EventError, event_from_dict
    from govservice.cases._readers import fast_event
    from govservice.cases.events import AnyEvent, _converter

    fast = fast_event(data)
    try:
        reference = _converter.structure(dict(data), AnyEvent)  # type: ignore[arg-type]
    except Exception:  # any refusal: the fast way must not accept it
        assert fast is None
        with pytest.raises(EventError):
            event_from_dict(data)
        return
    if fast is not None:
        assert fast == reference and type(fast) is type(reference)


@given(case_histories(Clock(CATALOGUE, china())))
def test_valid_events_are_read_fast(case: Any) -> None:
    from govservice.cases._readers import fast_event

    for event in case.events:
        assert fast_event(json.loads(body_and_time(event)[0])) == event


def test_a_missing_optional_field_is_read_fast_as_its_default() -> None:
    from govservice.cases._readers import fast_event
    from govservice.cases.events import AnyEvent, _converter

    data = {
        "case": "A",
        "type": "submitted",
        "at": "2026-09-24T09:30:00+08:00",
        "matter": "MR-001",
        "applicant": {"name": "张三", "kind": "person"},
    }
    fast = fast_event(data)
    assert fast is not None and fast.channel == "counter"  # type: ignore[attr-defined]
    assert fast == _converter.structure(dict(data), AnyEvent)  # type: ignore[arg-type]
    assert fast_event({k: v for k, v in data.items() if k != "matter"}) is None  # required


# ---- an imported line kept as its event's body (line_body_and_time) ------------------------

_formats = st.sampled_from(
    [
        {"ensure_ascii": False, "sort_keys": True},  # as the store writes it
        {},  # escapes, the keys in their order
        {"ensure_ascii": False, "separators": (",", ":")},
        {"ensure_ascii": False, "sort_keys": True, "separators": (" ,", " : ")},
    ]
)


def _read_back(line: str) -> tuple[Any, Event, bool] | None:
    """The object and event an import reads from *line*, and whether the object is the
    event's as written; ``None`` if the import refuses the line."""
    from govservice._toml import JSONProblem, loads_json
    from govservice.cases import EventError, event_from_dict
    from govservice.cases._readers import fast_event_as_written

    try:
        data = loads_json(line)
        fast = fast_event_as_written(data) if type(data) is dict else None
        return (data, *fast) if fast else (data, event_from_dict(data), False)
    except (JSONProblem, EventError):
        return None


def _as_written(body: str) -> str:
    return json.dumps(json.loads(body), ensure_ascii=False, sort_keys=True)


@given(event_objects())
def test_an_object_is_told_as_written_only_when_it_is(data: dict[str, Any]) -> None:
    """The fast reader tells an object as written only when it is exactly the object of the
    body the store writes for the event it reads (the same keys, values and types); the event
    is the one it reads without telling."""
    from govservice.cases._readers import fast_event, fast_event_as_written

    told = fast_event_as_written(data)
    fast = fast_event(data)
    if told is None:
        assert fast is None
        return
    event, as_written = told
    assert event == fast and type(event) is type(fast)
    if as_written:
        assert json.dumps(data, ensure_ascii=False, sort_keys=True) == body_and_time(event)[0]


@given(event_objects(), _formats, st.text(max_size=3) | st.none())
def test_a_line_is_kept_only_when_it_holds_the_written_object(
    data: dict[str, Any], form: dict[str, Any], event_id: str | None
) -> None:
    """An imported line is stored as it is only when it reads to exactly the object of the
    body the store writes for its event (the same keys, values and types): so every reader of
    bodies reads the same from it, and the event read from it again is the same."""
    from govservice.cases import event_from_dict
    from govservice.storage._bodies import line_body_and_time

    if event_id is not None:
        data["id"] = event_id
    line = json.dumps(data, **form)
    read = _read_back(line)
    if read is None:
        return
    obj, event, as_written = read
    written = body_and_time(event)
    body, at = line_body_and_time(line, obj, event, as_written)
    assert at == written[1]
    if body is not line:
        assert body == written[0]
        return
    assert event.id is not None  # an event without one is named by the body written
    assert _as_written(body) == written[0]
    assert event_from_dict(json.loads(body)) == event


@given(case_histories(Clock(CATALOGUE, china())), _formats)
def test_lines_of_valid_events_are_kept(case: Any, form: dict[str, Any]) -> None:
    """The usual line, the body the store writes (or that object written otherwise), of an
    event with an id, is kept: the import writes no body of its own for it — unless its time
    has fractions of a second (which the test of the time written leaves out)."""
    import attrs

    from govservice.storage._bodies import line_body_and_time

    for k, event in enumerate(case.events):
        event = attrs.evolve(event, id=f"E{k}")
        line = json.dumps(json.loads(body_and_time(event)[0]), **form)
        read = _read_back(line)
        assert read is not None
        usual = event.at.microsecond == 0 and len(event.at.isoformat()) == 25
        assert (line_body_and_time(line, *read)[0] is line) == usual


_submitted = {
    "applicant": {"kind": "person", "name": "张三"},
    "at": "2026-09-24T09:30:00+08:00",
    "case": "A",
    "channel": "counter",
    "id": "A-1",
    "matter": "MR-001",
    "type": "submitted",
}


@pytest.mark.parametrize(
    "change",
    [
        {"at": "2026-09-24T01:30:00-00:00"},  # written +00:00
        {"at": "2026-09-24 09:30:00+08:00"},  # written with T
        {"at": "2026-W39-4T09:30:00+08:00"},  # a week date: written as a day
        {"at": "2026-09-24T09:30:00.000+08:00"},
        {"at": "2026-09-24T09:30:00+08:00:00"},
        {"at": "2026-09-24T01:30:00Z"},
        {"by": None},  # left out when written
        {"applicant": {"kind": "person", "name": "张三", "id_number": None}},
        {"renewal_of": None},
    ],
)
def test_a_line_holding_another_object_is_not_kept(change: dict[str, Any]) -> None:
    """A line that reads to the same event through another object is stored as the store
    writes the event: its time written otherwise, a field given as null."""
    from govservice.storage._bodies import line_body_and_time

    line = json.dumps({**_submitted, **change}, ensure_ascii=False)
    read = _read_back(line)
    if read is None:  # refused at import: nothing to keep
        return
    assert not read[2]
    body, _ = line_body_and_time(line, *read)
    assert body is not line and body == body_and_time(read[1])[0]


def test_a_line_leaving_out_a_default_is_not_kept() -> None:
    from govservice.storage._bodies import line_body_and_time

    kept = json.dumps(_submitted, ensure_ascii=False)
    assert line_body_and_time(kept, *_read_back(kept))[0] is kept  # type: ignore[misc]
    line = json.dumps({k: v for k, v in _submitted.items() if k != "channel"})
    body, _ = line_body_and_time(line, *_read_back(line))  # type: ignore[misc]
    assert body is not line and '"channel": "counter"' in body
