"""ELG: rules of this family (being written)."""

from t86audit.rules._base import Rule


RULES: tuple[Rule, ...] = ()
