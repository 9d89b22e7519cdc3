from django.core.management.base import BaseCommand, CommandError

from luntan.accounts.models import User
from luntan.errors import UserError
from luntan.moderation import rules
from luntan.moderation.models import KeywordRule

FORMAT = """\
The file is UTF-8 text, one rule per line:

  pattern
  pattern<SEP>action
  pattern<SEP>action<SEP>category
  pattern<SEP>action<SEP>category<SEP>replacement

SEP is a TAB, "|" or ",". action is block (屏蔽), review (审核), replace
(替换) or allow (放行); a line with the pattern alone, or an empty action,
takes --action. replacement is for replace rules only (empty: the word
becomes as many ＊ as it has characters). Blank lines and lines starting
with # are skipped. Example:

  # 广告
  发票代开|block|广告
  傻逼|replace|辱骂
  法轮功|review|政治
  路口交通|allow

Bad lines (unknown action, empty pattern, a word that already has a rule)
are reported with their line number; the good ones are added all together,
in one transaction, and take effect in every running process within
seconds."""


class Command(BaseCommand):
    help = "Import keyword filter rules (敏感词) from a word list: `luntan import-keywords FILE`.\n\n" + FORMAT

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter  # keep the format's lines
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="the word list (UTF-8)")
        parser.add_argument("--actor", metavar="USERNAME", help="the operator recorded as having added the rules")
        parser.add_argument(
            "--action", default=KeywordRule.Action.BLOCK, choices=[a.value for a in KeywordRule.Action],
            help="action for lines that name none (default: block)",
        )

    def handle(self, *args, file: str, actor: str | None = None, action: str = KeywordRule.Action.BLOCK, **options):
        operator = None
        if actor:
            operator = User.objects.filter(username=actor).first()
            if operator is None:
                raise CommandError(f"用户「{actor}」不存在。")
        try:
            with open(file, encoding="utf-8-sig") as lines:
                added, errors = rules.import_rules(actor=operator, lines=lines, default_action=action)
        except OSError as error:
            raise CommandError(f"读不了文件 {file}：{error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"文件 {file} 不是 UTF-8 编码。") from None
        except UserError as error:
            raise CommandError(error.message) from None
        for number, message in errors:
            self.stderr.write(f"第 {number} 行：{message}")
        summary = f"导入了 {added} 条规则。" + (f"{len(errors)} 行有误，未导入（见上）。" if errors else "")
        self.stdout.write(self.style.SUCCESS(summary) if not errors else self.style.WARNING(summary))
