"""The one rule for text a member writes into a field: what is trimmed, what
is refused, what is quietly dropped, and what the refusal says.

Every service passes its texts through `clean_text` with the field's label
and its limit from `settings.LUNTAN`, so a title, a reason or a column's name
is refused the same way everywhere and a message names the field and how far
over it is.

Characters nobody means to write (control codes, lone surrogates,
text-direction overrides: `zh.controls`) break feeds, the database and the
reading order of a line. A line (a title, a name, a reason) that holds them
is refused, saying which, so the writer sees what was wrong; a body keeps its
text without them, as a pasted article should.
"""

import re

from luntan.errors import Invalid, TooLarge
from luntan.zh.controls import describe, strip_unwanted, unwanted_in_text

# Blank lines before a body's first line go; the first line's own indent
# stays, since four spaces start a Markdown code block.
_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")


def clean_text(
    value: str | None,
    *,
    field: str,
    label: str,
    limit: int,
    required: bool | str = False,
    multiline: bool = False,
    too_long: type[Invalid | TooLarge] = Invalid,
) -> str:
    """`value` as it is stored, or Invalid / TooLarge saying why not.

    `field` names the form field the error belongs to, `label` the field as
    the message calls it (标题, 专栏简介, 参考资料第 3 条). `required` refuses
    an empty text: True says "{label}不能为空", a string says that instead.
    A single line is stripped of surrounding white space and refused if it
    holds unwanted characters; a multi-line text (`multiline`) loses them, the
    blank lines before it and the white space after it. Over `limit` raises
    `too_long`: TooLarge (413) for the bodies the API has always answered so
    (posts, messages, bios), Invalid (422) for the rest."""
    text = value or ""
    if multiline:
        text = _LEADING_BLANK_LINES.sub("", strip_unwanted(text)).rstrip()
    else:
        # Checked before stripping: str.strip() would silently eat a trailing \x0b or \x1f.
        if found := unwanted_in_text(text):
            raise Invalid(
                f"{label}不能含有控制字符、无效字符或改变文字方向的字符（{describe(found)}），请删去后再提交。",
                field=field,
            )
        text = text.strip()
    if required and not text:
        raise Invalid(required if isinstance(required, str) else f"{label}不能为空。", field=field)
    if len(text) > limit:
        raise too_long(
            f"{label}不能超过 {limit} 个字（现在 {len(text)} 个，多了 {len(text) - limit} 个）。", field=field
        )
    return text
