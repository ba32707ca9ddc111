"""Wagtail admin: the script that starts the date/time widgets without inline
code (the Content-Security-Policy; see static/csp/wagtail-widgets.js)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def csp_safe_widget_init():
    return format_html('<script src="{}"></script>', static("csp/wagtail-widgets.js"))
