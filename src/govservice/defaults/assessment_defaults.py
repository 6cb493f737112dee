"""Default assessment: the rules of LAW.md's examples and the default rubric."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govservice.assessment import DEFAULT_RULES, AssessmentRule, Rubric
from govservice.hookspecs import hookimpl

if TYPE_CHECKING:
    from govservice.center import ServiceCenter


@hookimpl(trylast=True)
def register_assessment_rules(center: ServiceCenter) -> tuple[AssessmentRule, ...]:
    """The default rules (findings, overdue cases, complaints, bad reviews, …)."""
    return DEFAULT_RULES


@hookimpl(trylast=True)
def assessment_rubric(center: ServiceCenter) -> Rubric:
    """Base 100, cap 110, 3 red flags at 95 or more, 5 stars at 100 or more."""
    return Rubric()
