"""Look-alike detection for names: two names that read the same to a person
get the same skeleton."""

import unicodedata

from .script import to_simplified

# Latin letters and digits people swap to impersonate one another, and the
# Cyrillic/Greek letters that look exactly like Latin ones.
_CONFUSABLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "3": "e",
        "5": "s",
        "8": "b",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "к": "k",
        "м": "m",
        "т": "t",
        "в": "b",
        "н": "h",
        "і": "l",
        "ο": "o",
        "α": "a",
        "ν": "v",
        "ρ": "p",
        "τ": "t",
        "κ": "k",
        "ι": "l",
        "_": "",
        "-": "",
        ".": "",
        "·": "",
    }
)
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def skeleton(name: str) -> str:
    """Fold width, case, script, confusable letters and separators away."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = "".join(ch for ch in folded if unicodedata.category(ch) not in {"Mn", "Cf", "Zs"})
    folded = to_simplified(folded).translate(_CONFUSABLE)
    for pair, single in _MULTI:
        folded = folded.replace(pair, single)
    return folded
