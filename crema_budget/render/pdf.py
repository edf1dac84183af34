"""PDF: the HTML page printed by WeasyPrint, an optional extra.

``pip install '.[pdf]'`` installs it from the repository; without it, asking
for a PDF is a clear error that names the command installing WeasyPrint where
the tool runs from (and the HTML page prints to PDF from any browser meanwhile).
"""

from __future__ import annotations

from crema_budget.errors import UsageError, install_command
from crema_budget.i18n import _
from crema_budget.render import Options
from crema_budget.render import html as html_format
from crema_budget.view import View


def render(view: View, options: Options) -> bytes:
    page = html_format.render(view, options)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # OSError: the package without its system libraries
        raise UsageError(
            _(
                "a PDF needs WeasyPrint, which is not installed; install it with: {command}; "
                "or write HTML (--format html) and print it to PDF from a browser"
            ).format(command=install_command("weasyprint"))
        ) from None
    document: bytes = HTML(string=page).write_pdf()
    return document
