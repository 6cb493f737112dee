"""The monthly assessment of windows and staff: rules, scores, red flags, stars.

.. versionadded:: 0.1
"""

from __future__ import annotations

from govservice.assessment.engine import (
    DIMENSIONS,
    Assessment,
    AssessmentRule,
    Composite,
    Rubric,
    Score,
    ScoreItem,
    assess,
)
from govservice.assessment.records import (
    CaseRecord,
    Period,
    PeriodRecords,
    collect_period,
    period_table,
)
from govservice.assessment.rules import DEFAULT_RULES

__all__ = [
    "DEFAULT_RULES",
    "DIMENSIONS",
    "Assessment",
    "AssessmentRule",
    "CaseRecord",
    "Composite",
    "Period",
    "PeriodRecords",
    "Rubric",
    "Score",
    "ScoreItem",
    "assess",
    "collect_period",
    "period_table",
]
