"""Applicants: identity numbers (GB 11643), credit codes (GB 32100), masking, event format.

The check characters are recomputed here with test-local implementations written
from the standards' own descriptions (weighted sums and look-up tables), which is a
different formulation from the module's (the ISO 7064 recursive form for identity
numbers).

Sources of the known-valid numbers:

* GB 11643-1999 Appendix A (公民身份号码实例): ``11010519491231002X`` (北京市朝阳区)
  and ``440524188001010014`` (广东省汕头市潮阳县); the weighted sum of the first,
  167 ≡ 2 (mod 11) → ``X``, is Appendix B's worked example.  Text of the standard as
  reproduced at https://blog.csdn.net/chenlu5201314/article/details/90484093 and
  https://download.csdn.net/download/kudy21/2033732.
* GB 32100-2015's worked example (校验码计算方法实例): ``91350100M000100Y4`` has
  weighted sum 1640, 1640 mod 31 = 28, check value 31 − 28 = 3, so the example's
  ``91350100M000100Y4Z`` is refused and ``…Y43`` is the valid code.  As reproduced at
  https://www.yc00.com/web/1713075042a2177900.html and https://renrendoc.com/p-47802332.html.
* Real registered codes, from public pages that reproduce the registration record
  (国家企业信用信息公示系统):
  ``914403001922038216``, 华为技术有限公司 (Huawei Technologies Co., Ltd.), the
  机构代码 in the infobox of https://zh.wikipedia.org/zh-hk/%E8%8F%AF%E7%88%B2;
  ``91440300708461136T``, 深圳市腾讯计算机系统有限公司 (Shenzhen Tencent Computer
  Systems Co., Ltd.), "Unified social credit code" in the business-licence section of
  https://check-china.com/example_report/en/8;
  ``9144030071526726XG``, 腾讯科技（深圳）有限公司, listed among the codes "found online"
  in python-stdnum's tests/test_cn_uscc.doctest (a weaker source; it is here for its X).
"""

from __future__ import annotations

import json
import string
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from govservice.cases.applicants import (
    Applicant,
    ApplicantError,
    check_credit_code,
    check_id_number,
    mask_id_number,
)
from govservice.exceptions import GovServiceError
from govservice.text import MAX_TEXT, text_problem

# --- test-local reference implementations, from the standards' descriptions ------------

# GB 11643-1999 §7.2: S = Σ a_i·W_i over the 17 body digits, Y = S mod 11, and the table
# Y: 0 1 2 3 4 5 6 7 8 9 10 → check: 1 0 X 9 8 7 6 5 4 3 2.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_TABLE = "10X98765432"


def id_weighted_sum(body: str) -> int:
    return sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))


def id_check(body: str) -> str:
    return ID_TABLE[id_weighted_sum(body) % 11]


# GB 32100-2015 §4.6 / Appendix: character values by Table 1, W_i = 3**(i-1) mod 31,
# C18 = 31 - MOD(Σ C_i·W_i, 31), where a value of 31 is written 0.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = tuple(pow(3, i - 1, 31) for i in range(1, 18))


def credit_weighted_sum(body: str) -> int:
    return sum(CREDIT_CHARS.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))


def credit_check(body: str) -> str:
    value = 31 - credit_weighted_sum(body) % 31
    return CREDIT_CHARS[0 if value == 31 else value]


# --- strategies -------------------------------------------------------------------------


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(100000, 999999))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    seq = draw(st.integers(0, 999))
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + id_check(body)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    chars = st.sampled_from(CREDIT_CHARS)
    head = draw(chars) + draw(chars)
    region = f"{draw(st.integers(0, 999999)):06d}"
    subject = "".join(draw(st.lists(chars, min_size=9, max_size=9)))
    body = head + region + subject
    return body + credit_check(body)


names = st.text(min_size=1, max_size=20).filter(lambda s: text_problem(s, MAX_TEXT) is None)

GB11643_EXAMPLE = "11010519491231002X"
GB11643_EXAMPLE_1880 = "440524188001010014"
GB32100_EXAMPLE = "91350100M000100Y43"
REAL_CREDIT_CODES = ["914403001922038216", "91440300708461136T", "9144030071526726XG"]


# --- the reference implementations agree with the standards' worked examples ------------


def test_reference_id_check_reproduces_gb11643_appendix() -> None:
    assert id_weighted_sum(GB11643_EXAMPLE[:17]) == 167
    assert id_check(GB11643_EXAMPLE[:17]) == "X"
    assert id_check(GB11643_EXAMPLE_1880[:17]) == "4"


def test_reference_credit_check_reproduces_gb32100_example() -> None:
    assert CREDIT_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert credit_weighted_sum("91350100M000100Y4") == 1640
    assert 1640 % 31 == 28
    assert credit_check("91350100M000100Y4") == "3"
    for code in REAL_CREDIT_CODES:
        assert credit_check(code[:17]) == code[17]


# --- identity numbers -------------------------------------------------------------------


class TestIdNumber:
    def test_standard_example_is_valid(self) -> None:
        assert check_id_number(GB11643_EXAMPLE) == GB11643_EXAMPLE

    def test_lowercase_x_is_accepted_and_normalised(self) -> None:
        assert check_id_number(GB11643_EXAMPLE.lower()) == GB11643_EXAMPLE

    def test_standards_1880_example_is_refused_for_its_date(self) -> None:
        # Its checksum is right (see above), but births before 1900 are refused.
        with pytest.raises(ApplicantError, match="before 1900-01-01"):
            check_id_number(GB11643_EXAMPLE_1880)

    @given(id_numbers())
    def test_constructed_numbers_are_valid(self, number: str) -> None:
        assert check_id_number(number) == number
        assert check_id_number(number.lower()) == number

    @given(id_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
    def test_every_single_substitution_is_refused(
        self, number: str, position: int, replacement: str
    ) -> None:
        assume(number[position] != replacement)
        changed = number[:position] + replacement + number[position + 1 :]
        with pytest.raises(ApplicantError) as info:
            check_id_number(changed)
        assert info.value.field == "id_number"
        assert changed not in str(info.value)

    @pytest.mark.parametrize(
        "born", ["19490230", "19491301", "19490000", "19490132", "18991231", "00000101"]
    )
    def test_bad_birth_dates_are_refused(self, born: str) -> None:
        body = f"110105{born}002"
        number = body + id_check(body)  # right checksum: only the date is wrong
        with pytest.raises(ApplicantError, match="birth date"):
            check_id_number(number)

    def test_leap_day_is_a_valid_birth_date(self) -> None:
        body = "11010520000229002"
        assert check_id_number(body + id_check(body)) == body + id_check(body)
        body = "11010519000229002"  # 1900 was not a leap year
        with pytest.raises(ApplicantError, match="birth date"):
            check_id_number(body + id_check(body))

    def test_region_code_must_not_start_with_zero(self) -> None:
        body = "01010519491231002"
        with pytest.raises(ApplicantError, match="region code"):
            check_id_number(body + id_check(body))

    @pytest.mark.parametrize(
        ("number", "reason"),
        [
            ("11010519491231002", "18 characters"),
            ("11010519491231002XX", "18 characters"),
            ("", "18 characters"),
            ("1101051949123100X2", "digits"),
            ("110105194912310０2X", "digits"),  # a full-width digit
            ("11010519491231002Y", "check character"),
            ("11010519491231002 ", "check character"),
        ],
    )
    def test_malformed_numbers_are_refused(self, number: str, reason: str) -> None:
        with pytest.raises(ApplicantError, match=reason):
            check_id_number(number)

    def test_non_string_is_refused_without_showing_it(self) -> None:
        with pytest.raises(ApplicantError, match="must be a string") as info:
            check_id_number(110105194912310020)  # type: ignore[arg-type]
        assert "110105194912310020" not in str(info.value)
        assert "<int>" in str(info.value)


class TestMask:
    def test_keeps_first_and_last_four(self) -> None:
        assert mask_id_number("11010519491231123X") == "1101**********123X"

    def test_short_values_are_masked_entirely(self) -> None:
        assert mask_id_number("") == ""
        assert mask_id_number("12345678") == "********"
        assert mask_id_number("123456789") == "1234*6789"

    @given(id_numbers())
    def test_mask_hides_the_middle(self, number: str) -> None:
        masked = mask_id_number(number)
        assert len(masked) == 18
        assert masked[4:14] == "*" * 10
        assert (masked[:4], masked[14:]) == (number[:4], number[14:])


# --- credit codes -----------------------------------------------------------------------


class TestCreditCode:
    @pytest.mark.parametrize("code", [GB32100_EXAMPLE, *REAL_CREDIT_CODES])
    def test_published_codes_are_valid(self, code: str) -> None:
        assert check_credit_code(code) == code
        assert check_credit_code(code.lower()) == code

    def test_standards_invalid_example_is_refused(self) -> None:
        with pytest.raises(ApplicantError, match="credit_code"):
            check_credit_code("91350100M000100Y4Z")

    def test_wrong_check_character_names_the_right_one(self) -> None:
        with pytest.raises(ApplicantError, match="should be '6'") as info:
            check_credit_code("914403001922038217")
        assert info.value.value == "914403001922038217"

    @given(credit_codes())
    def test_constructed_codes_are_valid(self, code: str) -> None:
        assert check_credit_code(code) == code
        assert check_credit_code(code.lower()) == code

    @given(credit_codes(), st.integers(0, 17), st.sampled_from(CREDIT_CHARS))
    def test_every_single_substitution_is_refused(
        self, code: str, position: int, replacement: str
    ) -> None:
        assume(code[position] != replacement)
        changed = code[:position] + replacement + code[position + 1 :]
        with pytest.raises(ApplicantError, match="credit_code"):
            check_credit_code(changed)

    @pytest.mark.parametrize("letter", "IOZSV")
    def test_excluded_letters_are_refused(self, letter: str) -> None:
        code = "914403001922038" + letter + "16"
        with pytest.raises(ApplicantError, match="not allowed"):
            check_credit_code(code)

    def test_region_code_must_be_digits(self) -> None:
        body = "9144A3001922038"[:8] + "001922038"  # 'A' in the region code
        code = body + credit_check(body)
        with pytest.raises(ApplicantError, match="region code"):
            check_credit_code(code)

    @pytest.mark.parametrize("code", ["91440300192203821", "9144030019220382166", ""])
    def test_wrong_length_is_refused(self, code: str) -> None:
        with pytest.raises(ApplicantError, match="18 characters"):
            check_credit_code(code)


# --- the Applicant value ----------------------------------------------------------------


persons = st.builds(
    Applicant, name=names, kind=st.just("person"), id_number=st.none() | id_numbers()
)
organizations = st.builds(
    Applicant, name=names, kind=st.just("organization"), credit_code=st.none() | credit_codes()
)


class TestApplicant:
    def test_normalises_numbers(self) -> None:
        person = Applicant("张三", "person", id_number=GB11643_EXAMPLE.lower())
        assert person.id_number == GB11643_EXAMPLE
        org = Applicant("华为技术有限公司", "organization", credit_code="914403001922038216")
        assert org.credit_code == "914403001922038216"
        lower = Applicant("x", "organization", credit_code="9144030071526726xg")
        assert lower.credit_code == "9144030071526726XG"

    def test_numbers_are_optional(self) -> None:
        assert Applicant("张三", "person").to_dict() == {"name": "张三", "kind": "person"}

    def test_repr_masks_the_id_number(self) -> None:
        person = Applicant("张三", "person", id_number=GB11643_EXAMPLE)
        assert repr(person) == (
            "Applicant(name='张三', kind='person', id_number='1101**********002X', "
            "credit_code=None)"
        )

    @given(names, id_numbers())
    def test_repr_str_and_masked_never_contain_the_full_number(
        self, name: str, number: str
    ) -> None:
        person = Applicant(name, "person", id_number=number)
        assert number not in repr(person)
        assert number not in str(person)
        assert number not in repr([person, {"applicant": person}])
        assert number not in json.dumps(person.masked())
        assert person.masked()["id_number"] == mask_id_number(number)
        assert person.to_dict()["id_number"] == number  # storage keeps it in full

    @pytest.mark.parametrize("name", ["", "   ", "\t\n"])
    def test_name_must_not_be_empty(self, name: str) -> None:
        with pytest.raises(ApplicantError, match="'name': must not be empty"):
            Applicant(name, "person")

    @pytest.mark.parametrize("kind", ["", "Person", "organisation", "company"])
    def test_kind_must_be_known(self, kind: str) -> None:
        with pytest.raises(ApplicantError, match="'kind'"):
            Applicant("张三", kind)

    def test_organization_with_id_number_is_refused_without_showing_it(self) -> None:
        with pytest.raises(ApplicantError, match="'id_number': only a person") as info:
            Applicant("某公司", "organization", id_number=GB11643_EXAMPLE)
        assert GB11643_EXAMPLE not in str(info.value)
        assert info.value.value == "1101**********002X"

    def test_person_with_credit_code_is_refused(self) -> None:
        with pytest.raises(ApplicantError, match="'credit_code': only an organization"):
            Applicant("张三", "person", credit_code="914403001922038216")

    def test_bad_id_number_is_refused_on_construction(self) -> None:
        with pytest.raises(ApplicantError, match="'id_number'"):
            Applicant("张三", "person", id_number="110105194912310021")

    def test_error_is_a_govservice_value_error(self) -> None:
        with pytest.raises(GovServiceError):
            Applicant("", "person")
        with pytest.raises(ValueError, match="name"):
            Applicant("", "person")

    def test_is_frozen(self) -> None:
        person = Applicant("张三", "person")
        with pytest.raises(AttributeError):
            person.name = "李四"  # type: ignore[misc]


class TestEventFormat:
    @given(persons | organizations)
    def test_round_trip(self, applicant: Applicant) -> None:
        data = applicant.to_dict()
        assert Applicant.from_dict(data) == applicant
        assert Applicant.from_dict(json.loads(json.dumps(data))) == applicant
        assert None not in data.values()

    def test_from_dict_normalises(self) -> None:
        data = {"name": "张三", "kind": "person", "id_number": GB11643_EXAMPLE.lower()}
        assert Applicant.from_dict(data).to_dict() == {**data, "id_number": GB11643_EXAMPLE}

    def test_none_counts_as_absent(self) -> None:
        data = {"name": "华为", "kind": "organization", "id_number": None, "credit_code": None}
        assert Applicant.from_dict(data).to_dict() == {"name": "华为", "kind": "organization"}

    def test_unknown_key_is_named_and_its_value_not_shown(self) -> None:
        data = {"name": "张三", "kind": "person", "idNumber": GB11643_EXAMPLE}
        with pytest.raises(ApplicantError, match="unknown key 'idNumber'") as info:
            Applicant.from_dict(data)
        assert GB11643_EXAMPLE not in str(info.value)

    @pytest.mark.parametrize("missing", ["name", "kind"])
    def test_missing_required_field_is_named(self, missing: str) -> None:
        data = {"name": "张三", "kind": "person"}
        del data[missing]
        with pytest.raises(ApplicantError, match=f"'{missing}': is required"):
            Applicant.from_dict(data)

    @pytest.mark.parametrize("field", ["name", "kind", "credit_code"])
    def test_non_string_values_are_refused(self, field: str) -> None:
        data: dict[str, object] = {"name": "某公司", "kind": "organization", field: 42}
        with pytest.raises(ApplicantError, match=f"'{field}': must be a string, not int"):
            Applicant.from_dict(data)

    def test_non_string_id_number_is_not_shown(self) -> None:
        data = {"name": "张三", "kind": "person", "id_number": 110105194912310020}
        with pytest.raises(ApplicantError, match="'id_number': must be a string") as info:
            Applicant.from_dict(data)
        assert "110105194912310020" not in str(info.value)

    def test_not_an_object_is_refused(self) -> None:
        with pytest.raises(ApplicantError, match="must be an object, not list"):
            Applicant.from_dict(["张三", "person"])  # type: ignore[arg-type]

    @given(id_numbers(), st.integers(0, 17), st.sampled_from(string.digits + "Xx"))
    def test_errors_never_print_the_full_number(
        self, number: str, position: int, replacement: str
    ) -> None:
        assume(number[position].upper() != replacement.upper())
        changed = number[:position] + replacement + number[position + 1 :]
        with pytest.raises(ApplicantError) as info:
            Applicant.from_dict({"name": "张三", "kind": "person", "id_number": changed})
        error = info.value
        assert error.field == "id_number"
        assert "'id_number'" in str(error)
        for shown in (str(error), repr(error), repr(error.args), repr(error.value)):
            assert changed not in shown
            assert changed.upper() not in shown

    @given(id_numbers(), st.integers(1, 3))
    def test_wrong_length_errors_do_not_print_the_number(self, number: str, cut: int) -> None:
        for changed in (number[:-cut], number + number[:cut]):
            with pytest.raises(ApplicantError, match="18 characters") as info:
                check_id_number(changed)
            assert changed not in str(info.value)
